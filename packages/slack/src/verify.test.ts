import { slackSignature } from "@netia/testkit/slack";
import { expect, it } from "vitest";
import { verifySlackSignature } from "./verify";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const NOW = 1_700_000_000_000;
const body = "token=x&team_id=T1&payload=%7B%7D";
const at = (seconds: number) => String(NOW / 1000 + seconds);
const sign = (timestamp: string, text = body) => slackSignature(SECRET, Number(timestamp), text);

it("accepts Slack's signature of the exact body within five minutes either way", () => {
  for (const offset of [0, -299, 299]) {
    const timestamp = at(offset);
    expect(verifySlackSignature(SECRET, { timestamp, signature: sign(timestamp), body }, NOW)).toBe(
      "ok",
    );
  }
});

it("refuses another body, secret or timestamp, a stale request and missing headers", () => {
  const timestamp = at(0);
  const check = (request: Partial<Parameters<typeof verifySlackSignature>[1]>, secret = SECRET) =>
    verifySlackSignature(secret, { timestamp, signature: sign(timestamp), body, ...request }, NOW);
  expect(check({ body: `${body}&x=1` })).toBe("bad_signature");
  expect(check({}, "another-secret")).toBe("bad_signature");
  expect(check({ timestamp: at(1) })).toBe("bad_signature");
  expect(check({ signature: "v0=abc" })).toBe("bad_signature");
  expect(check({ timestamp: "12e3" })).toBe("bad_signature");
  const old = at(-301);
  expect(check({ timestamp: old, signature: sign(old) })).toBe("expired");
  expect(check({ signature: null })).toBe("missing");
  expect(check({ timestamp: null })).toBe("missing");
});
