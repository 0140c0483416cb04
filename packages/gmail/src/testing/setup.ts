// What the Gmail tests share: the run's database, a fake Gmail (API and token
// endpoint) on a local port, a configuration pointing at it, and an account
// with an admin and an inbox, connected through the real OAuth code exchange.
import { randomUUID } from "node:crypto";
import type { Config } from "@netia/config";
import { testConfig } from "@netia/config/testing";
import { type Db, schema } from "@netia/db";
import { createMemoryBus, type EventBus } from "@netia/realtime";
import { type FakeGmail, startFakeGmail } from "@netia/testkit/gmail";
import { and, eq, sql } from "drizzle-orm";
import { completeGmailConnection, signState } from "../oauth";
import type { SyncDeps } from "../sync";

export const CLIENT = { clientId: "netia-test.apps.googleusercontent.com", clientSecret: "s3cret" };

export async function startGmailFake(): Promise<{ fake: FakeGmail; config: Config }> {
  const fake = await startFakeGmail(CLIENT);
  const config = testConfig({
    GOOGLE_CLIENT_ID: CLIENT.clientId,
    GOOGLE_CLIENT_SECRET: CLIENT.clientSecret,
    GOOGLE_API_URL: fake.apiUrl,
    GOOGLE_OAUTH_URL: fake.oauthUrl,
  });
  return { fake, config };
}

/** An account with an admin and an inbox, written directly (no sign-up needed here). */
export async function newAccount(db: Db) {
  const [account] = await db
    .insert(schema.accounts)
    .values({ companyName: "Acme" })
    .returning({ id: schema.accounts.id });
  const accountId = account?.id as string;
  const userId = `user-${randomUUID()}`;
  await db.insert(schema.users).values({
    id: userId,
    name: "Ada Agent",
    email: `${userId}@test.netia.dev`,
  });
  await db.insert(schema.memberships).values({ accountId, userId, role: "admin" });
  const [inbox] = await db
    .insert(schema.inboxes)
    .values({ accountId, name: "Support", identitySecret: randomUUID() })
    .returning({ id: schema.inboxes.id });
  return { accountId, userId, inboxId: inbox?.id as string };
}

/** A unique mailbox address per test, so tests sharing the database never meet. */
export const mailboxAddress = () => `support-${randomUUID().slice(0, 8)}@acme.test`;

/** Connects `address` the way the callback does: a code from Google's consent, exchanged. */
export async function connectMailbox(
  deps: { db: Db; config: Config },
  fake: FakeGmail,
  owner: { accountId: string; userId: string; inboxId: string },
  address: string,
) {
  const state = signState(deps.config.secretKeyBase, {
    ...owner,
    expiresAt: Date.now() + 60_000,
  });
  return completeGmailConnection(deps, {
    code: fake.authorize(address),
    state,
    userId: owner.userId,
  });
}

let counter = 0;

/** A plain email as a customer's mail program would send it. */
export function customerMail(input: {
  from: string;
  to: string;
  subject: string;
  text: string;
  inReplyTo?: string;
  headers?: Record<string, string>;
}): { raw: string; messageId: string } {
  const messageId = `<m${Date.now()}.${counter++}.${randomUUID().slice(0, 6)}@customer.test>`;
  const lines = [
    `From: Carla Customer <${input.from}>`,
    `To: ${input.to}`,
    `Subject: ${input.subject}`,
    `Message-ID: ${messageId}`,
    `Date: ${new Date().toUTCString()}`,
    ...(input.inReplyTo
      ? [`In-Reply-To: ${input.inReplyTo}`, `References: ${input.inReplyTo}`]
      : []),
    ...Object.entries(input.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    input.text,
    "",
  ];
  return { raw: lines.join("\r\n"), messageId };
}

export function syncDeps(db: Db, config: Config, bus: EventBus = createMemoryBus()): SyncDeps {
  // Retries without long pauses: the tests check that nothing is lost, not the clock.
  return { db, config, bus, retry: { baseDelayMs: 5, maxDelayMs: 2_000 } };
}

/** The customer messages of the connection's account, by body, oldest first. */
export async function importedBodies(db: Db, accountId: string): Promise<string[]> {
  const rows = await db
    .select({ body: schema.messages.body })
    .from(schema.messages)
    .where(
      and(eq(schema.messages.accountId, accountId), eq(schema.messages.senderType, "customer")),
    )
    .orderBy(schema.messages.seq);
  return rows.map((r) => r.body);
}

export async function connectionRow(db: Db, id: string) {
  const [row] = await db
    .select()
    .from(schema.gmailConnections)
    .where(eq(schema.gmailConnections.id, id));
  if (!row) throw new Error("no such connection");
  return row;
}

export async function countGmailMessages(db: Db, connectionId: string) {
  const result = (await db.execute(
    sql`select direction, count(*)::int as n from gmail_messages where connection_id = ${connectionId} group by direction`,
  )) as unknown as { rows: { direction: string; n: number }[] };
  return Object.fromEntries(result.rows.map((r) => [r.direction, r.n]));
}
