// The install link's state: only what Netia signed, unaltered and in time,
// comes back through the callback; the link itself is Slack's consent screen
// beside the configured Web API, with the bot scopes and the callback URL.
import { testConfig } from "@netia/config/testing";
import { expect, it } from "vitest";
import { SLACK_BOT_SCOPES } from "./install";
import { signSlackState, slackInstallUrl, verifySlackState } from "./install-link";

const KEY = "k".repeat(64);
const state = {
  accountId: "6f1c2d3e-0000-4000-8000-000000000001",
  userId: "user-1",
  expiresAt: Date.now() + 60_000,
};

it("accepts its own state and refuses a changed, foreign or expired one", () => {
  const signed = signSlackState(KEY, state);
  expect(verifySlackState(KEY, signed)).toEqual(state);

  const [payload, mac] = signed.split(".");
  const other = Buffer.from(JSON.stringify({ ...state, userId: "intruder" })).toString("base64url");
  expect(() => verifySlackState(KEY, `${other}.${mac}`)).toThrow(/invalid/);
  expect(() => verifySlackState("z".repeat(64), signed)).toThrow(/invalid/);
  expect(() => verifySlackState(KEY, `${payload}`)).toThrow(/invalid/);
  expect(() => verifySlackState(KEY, signed, state.expiresAt + 1)).toThrow(/took too long/);
});

it("points at Slack's consent screen beside the Web API, with the scopes and the callback", () => {
  const config = testConfig({
    SLACK_CLIENT_ID: "1.2",
    SLACK_CLIENT_SECRET: "secret",
    SLACK_SIGNING_SECRET: "8f742231b10e8888abcd99yyyzzz85a5",
  });
  const url = new URL(slackInstallUrl(config, { accountId: state.accountId, userId: "user-1" }));
  expect(`${url.origin}${url.pathname}`).toBe("https://slack.com/oauth/v2/authorize");
  expect(url.searchParams.get("client_id")).toBe("1.2");
  expect(url.searchParams.get("scope")?.split(",")).toEqual([...SLACK_BOT_SCOPES]);
  expect(url.searchParams.get("redirect_uri")).toBe(
    new URL("/api/integrations/slack/callback", config.appUrl).toString(),
  );
  const back = verifySlackState(config.secretKeyBase, url.searchParams.get("state") as string);
  expect(back).toMatchObject({ accountId: state.accountId, userId: "user-1" });

  expect(() => slackInstallUrl(testConfig(), { accountId: state.accountId, userId: "u" })).toThrow(
    /not set up/,
  );
});
