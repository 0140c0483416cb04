// The fake Slack answers Slack's own client as Slack does: OAuth, posting in
// threads, updates, lookups, rate limits and revoked tokens.
import { ErrorCode, WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockActions, type FakeSlack, signedHeaders, slackSignature, startFakeSlack } from ".";

let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack({ clientId: "1.2", clientSecret: "client-secret" });
});
afterAll(() => slack.close());

async function installed(): Promise<WebClient> {
  const code = slack.authorize({ redirectUri: "http://localhost/cb" });
  const oauth = await new WebClient(undefined, { slackApiUrl: slack.apiUrl }).oauth.v2.access({
    client_id: "1.2",
    client_secret: "client-secret",
    code,
    redirect_uri: "http://localhost/cb",
  });
  expect(oauth.team?.id).toBe(slack.team.id);
  expect(oauth.bot_user_id).toBe(slack.team.botUserId);
  return new WebClient(oauth.access_token, {
    slackApiUrl: slack.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  });
}

describe("the fake Slack Web API", () => {
  it("installs, posts a thread in order, updates its parent and looks people up", async () => {
    const web = await installed();
    const channel = slack.addChannel({ name: "support" });
    const ana = slack.addUser({ name: "ana", email: "Ana@Acme.test" });
    const parent = await web.chat.postMessage({
      channel: channel.id,
      text: "New conversation",
      blocks: [{ type: "section", text: { type: "mrkdwn", text: "*New*" } }],
    });
    for (const text of ["one", "two", "three"]) {
      await web.chat.postMessage({ channel: channel.id, thread_ts: parent.ts, text });
    }
    await web.chat.update({ channel: channel.id, ts: parent.ts as string, text: "Closed" });
    const thread = slack.thread(channel.id, parent.ts as string);
    expect(thread.map((m) => m.text)).toEqual(["Closed", "one", "two", "three"]);
    expect(thread[0]?.edits[0]?.blocks).toHaveLength(1);
    expect((await web.users.info({ user: ana.id })).user?.profile?.email).toBe("Ana@Acme.test");
    expect((await web.users.lookupByEmail({ email: "ana@acme.test" })).user?.id).toBe(ana.id);
    expect((await web.conversations.info({ channel: channel.id })).channel?.name).toBe("support");
    const reply = slack.userPosts({
      user: ana.id,
      channel: channel.id,
      text: "from slack",
      threadTs: parent.ts as string,
    });
    expect(reply.envelope.event).toMatchObject({ thread_ts: parent.ts, user: ana.id });
  });

  it("refuses a wrong secret, a used code and posts to channels the bot is not in", async () => {
    const anonymous = new WebClient(undefined, { slackApiUrl: slack.apiUrl });
    const code = slack.authorize();
    await expect(
      anonymous.oauth.v2.access({ client_id: "1.2", client_secret: "wrong", code }),
    ).rejects.toMatchObject({ data: { error: "invalid_client_id" } });
    const web = await installed();
    const closed = slack.addChannel({ name: "private", botIsMember: false });
    await expect(web.chat.postMessage({ channel: closed.id, text: "x" })).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { error: "not_in_channel" },
    });
  });

  it("rate-limits with Retry-After, then revokes every token", async () => {
    const web = await installed();
    const channel = slack.addChannel({ name: "busy" });
    slack.rateLimitNext(1, 7, (method) => method === "chat.postMessage");
    await expect(web.chat.postMessage({ channel: channel.id, text: "x" })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 7,
    });
    await web.chat.postMessage({ channel: channel.id, text: "after" });
    slack.revoke();
    await expect(web.auth.test()).rejects.toMatchObject({ data: { error: "invalid_auth" } });
    expect(slack.channelMessages(channel.id).map((m) => m.text)).toEqual(["after"]);
  });

  it("signs requests as Slack documents it", () => {
    // Slack's own example ("Verifying requests from Slack").
    const body =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    expect(slackSignature("8f742231b10e8888abcd99yyyzzz85a5", 1531420618, body)).toBe(
      "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
    );
    const headers = signedHeaders("secret", "{}", { retryNum: 1 });
    expect(headers["x-slack-retry-num"]).toBe("1");
    expect(
      blockActions({
        teamId: "T1",
        user: { id: "U1", name: "ana" },
        channel: "C1",
        messageTs: "1.000001",
        actionId: "netia_resolve",
        value: "id",
      }).actions[0],
    ).toMatchObject({ action_id: "netia_resolve", value: "id" });
  });
});
