// Installing the app: the code from Slack's consent screen becomes a stored,
// encrypted bot token; installing again replaces it; a refused code is a clear error.
import { testConfig } from "@netia/config/testing";
import { type Database, schema } from "@netia/db";
import { openTestDatabase } from "@netia/db/testing";
import { type FakeSlack, startFakeSlack } from "@netia/testkit/slack";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connectionClient, markReconnectRequired, slackTokens } from "./connections";
import { completeSlackInstall } from "./install";

const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
let database: Database;
let fake: FakeSlack;
let config: ReturnType<typeof testConfig>;

beforeAll(async () => {
  database = await openTestDatabase();
  fake = await startFakeSlack({ clientId: "1.2", clientSecret: "client-secret" });
  config = testConfig({
    SLACK_CLIENT_ID: "1.2",
    SLACK_CLIENT_SECRET: "client-secret",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl.replace(/\/$/, ""),
  });
});
afterAll(async () => {
  await fake?.close();
  await database?.close();
});

async function newAccount() {
  const [account] = await database.db
    .insert(schema.accounts)
    .values({ companyName: "Acme" })
    .returning({ id: schema.accounts.id });
  return account?.id as string;
}

it("stores the workspace's bot token encrypted, and the client it gives works", async () => {
  const db = database.db;
  const accountId = await newAccount();
  const connection = await completeSlackInstall(
    { db, config },
    { accountId, userId: null, code: fake.authorize() },
  );
  expect(connection).toMatchObject({ teamId: fake.team.id, botUserId: fake.team.botUserId });
  expect(connection.botTokenEncrypted).not.toContain(fake.botToken);
  expect(slackTokens.decrypt(config.secretKeyBase, connection.botTokenEncrypted)).toBe(
    fake.botToken,
  );
  const auth = await connectionClient(config, connection).auth.test();
  expect(auth.team_id).toBe(fake.team.id);

  // Reinstalling after the token was refused makes the same connection active with the new token.
  await markReconnectRequired(db, connection.id, "invalid_auth");
  const again = await completeSlackInstall(
    { db, config },
    { accountId, userId: null, code: fake.authorize() },
  );
  expect(again.id).toBe(connection.id);
  expect(again.status).toBe("active");
  expect(slackTokens.decrypt(config.secretKeyBase, again.botTokenEncrypted)).toBe(fake.botToken);
});

it("refuses a code Slack does not know with a clear error, storing nothing", async () => {
  const accountId = await newAccount();
  await expect(
    completeSlackInstall(
      { db: database.db, config },
      { accountId, userId: null, code: "not-a-code" },
    ),
  ).rejects.toThrow(/Slack refused the installation/);
});
