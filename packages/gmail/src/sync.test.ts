// The Gmail sync against a fake that speaks the Gmail REST API and Google's
// token endpoint, on the real database: the first sync, later ones, a sync
// that dies in the middle of a page, two at once, an expired history id, a
// storm of 429s, a revoked token and an expired access token.
import type { Config } from "@netia/config";
import { type Database, schema } from "@netia/db";
import { openTestDatabase } from "@netia/db/testing";
import type { FakeGmail } from "@netia/testkit/gmail";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptToken } from "./crypto";
import { GmailReconnectRequired } from "./errors";
import { syncGmailConnection } from "./sync";
import {
  connectionRow,
  connectMailbox,
  countGmailMessages,
  customerMail,
  importedBodies,
  mailboxAddress,
  newAccount,
  startGmailFake,
  syncDeps,
} from "./testing/setup";

let database: Database;
let fake: FakeGmail;
let config: Config;

beforeAll(async () => {
  database = await openTestDatabase();
  ({ fake, config } = await startGmailFake());
});
afterAll(async () => {
  await fake?.close();
  await database?.close();
});

async function connected() {
  const owner = await newAccount(database.db);
  const address = mailboxAddress();
  const { connectionId } = await connectMailbox({ db: database.db, config }, fake, owner, address);
  return { ...owner, address, connectionId, mailbox: fake.mailbox(address) };
}

const deliver = (
  box: ReturnType<FakeGmail["mailbox"]>,
  address: string,
  subject: string,
  text: string,
  extra: { inReplyTo?: string; headers?: Record<string, string>; from?: string } = {},
) => {
  const mail = customerMail({
    from: extra.from ?? "carla@customer.test",
    to: address,
    subject,
    text,
    ...extra,
  });
  box.add(mail.raw);
  return mail;
};

const sorted = (values: string[]) => [...values].sort();

async function bodiesOf(conversationId: string) {
  const rows = await database.db
    .select({ body: schema.messages.body })
    .from(schema.messages)
    .where(eq(schema.messages.conversationId, conversationId))
    .orderBy(schema.messages.seq);
  return rows.map((r) => r.body);
}

async function conversationsOf(accountId: string) {
  return database.db
    .select({
      id: schema.conversations.id,
      subject: schema.conversations.subject,
      channel: schema.conversations.channel,
    })
    .from(schema.conversations)
    .where(eq(schema.conversations.accountId, accountId));
}

describe("connecting", () => {
  it("stores the tokens encrypted: the row holds no plaintext and decrypts to Google's tokens", async () => {
    const { connectionId, address } = await connected();
    const row = await connectionRow(database.db, connectionId);
    expect(row.emailAddress).toBe(address);
    expect(row.status).toBe("active");
    expect(row.refreshTokenEncrypted).toMatch(/^v1\./);
    expect(row.refreshTokenEncrypted).not.toContain("1//fake-");
    expect(row.accessTokenEncrypted).not.toContain("ya29.");
    const refresh = decryptToken(config.secretKeyBase, row.refreshTokenEncrypted);
    const access = decryptToken(config.secretKeyBase, row.accessTokenEncrypted as string);
    expect(refresh).toMatch(/^1\/\/fake-/);
    expect(access).toMatch(/^ya29\.fake-/);
  });
});

describe("syncing", () => {
  it("imports the inbox on the first sync, one conversation per thread, and remembers the history id", async () => {
    const { accountId, address, connectionId, mailbox } = await connected();
    const first = deliver(mailbox, address, "Refund please", "I was charged twice.");
    deliver(mailbox, address, "Re: Refund please", "Any news?", { inReplyTo: first.messageId });
    deliver(mailbox, address, "Login trouble", "I cannot log in.", { from: "dan@other.test" });
    // Not for a conversation: an auto-reply and a message sent from the mailbox itself.
    deliver(mailbox, address, "Out of office", "Back Monday.", {
      headers: { "Auto-Submitted": "auto-replied" },
    });
    mailbox.add(
      customerMail({ from: address, to: "x@y.test", subject: "sent", text: "sent" }).raw,
      {
        labelIds: ["SENT"],
      },
    );

    const result = await syncGmailConnection(syncDeps(database.db, config), connectionId);
    expect(result).toMatchObject({ mode: "initial", imported: 3 });
    const conversations = await conversationsOf(accountId);
    expect(conversations.map((c) => c.subject).sort()).toEqual(["Login trouble", "Refund please"]);
    expect(conversations.every((c) => c.channel === "email")).toBe(true);
    // Threads are stored side by side; a thread's messages in order.
    expect(sorted(await importedBodies(database.db, accountId))).toEqual(
      sorted(["I was charged twice.", "Any news?", "I cannot log in."]),
    );
    const refund = conversations.find((c) => c.subject === "Refund please");
    expect(await bodiesOf(refund?.id as string)).toEqual(["I was charged twice.", "Any news?"]);
    const row = await connectionRow(database.db, connectionId);
    expect(row.historyId).toBe(String(mailbox.historyId));
    expect(row.lastSyncedAt).not.toBeNull();
    const customers = await database.db
      .select({ email: schema.customers.email })
      .from(schema.customers)
      .where(eq(schema.customers.accountId, accountId));
    expect(customers.map((c) => c.email).sort()).toEqual(["carla@customer.test", "dan@other.test"]);
  });

  it("imports only what arrived since on the next sync, a reply into its conversation", async () => {
    const { accountId, address, connectionId, mailbox } = await connected();
    const deps = syncDeps(database.db, config);
    const first = deliver(mailbox, address, "Invoice", "Where is my invoice?");
    await syncGmailConnection(deps, connectionId);
    deliver(mailbox, address, "Re: Invoice", "Found it, thanks", { inReplyTo: first.messageId });
    deliver(mailbox, address, "New question", "Do you ship to Peru?");
    const before = fake.requests.length;

    const result = await syncGmailConnection(deps, connectionId);
    expect(result).toMatchObject({ mode: "incremental", imported: 2, skipped: 0 });
    const used = fake.requests.slice(before).map((r) => r.path.split("/").slice(5).join("/"));
    expect(used.filter((p) => p === "history")).toHaveLength(1);
    expect(used.filter((p) => p === "messages")).toHaveLength(0); // no listing of the inbox
    expect((await conversationsOf(accountId)).length).toBe(2);
    expect(sorted(await importedBodies(database.db, accountId))).toEqual(
      sorted(["Where is my invoice?", "Found it, thanks", "Do you ship to Peru?"]),
    );
    const invoice = (await conversationsOf(accountId)).find((c) => c.subject === "Invoice");
    expect(await bodiesOf(invoice?.id as string)).toEqual([
      "Where is my invoice?",
      "Found it, thanks",
    ]);
    // Nothing new: a sync imports nothing and asks for no message.
    expect(await syncGmailConnection(deps, connectionId)).toMatchObject({ imported: 0 });
  });

  it("resumes a sync that died in the middle of a page without importing anything twice", async () => {
    const { accountId, address, connectionId, mailbox } = await connected();
    const deps = { ...syncDeps(database.db, config), retry: { attempts: 2, baseDelayMs: 1 } };
    await syncGmailConnection(deps, connectionId);
    const historyBefore = (await connectionRow(database.db, connectionId)).historyId;
    const sent = Array.from({ length: 10 }, (_, i) =>
      deliver(mailbox, address, `Question ${i}`, `Body ${i}`),
    );
    const broken = [...mailbox.messages.values()].at(-5)?.id as string; // the 6th of 10
    fake.onRequest = (request) =>
      request.path.endsWith(`/messages/${broken}`) ? { status: 500 } : undefined;
    await expect(
      syncGmailConnection(deps, connectionId, { concurrency: 2, pageSize: 100 }),
    ).rejects.toThrow();
    // Part of the page is stored; the history id has not moved past it.
    expect((await importedBodies(database.db, accountId)).length).toBe(4);
    expect((await connectionRow(database.db, connectionId)).historyId).toBe(historyBefore);

    fake.onRequest = null;
    const fetched: string[] = [];
    fake.onRequest = (request) => {
      if (/\/messages\/[0-9a-f]+$/.test(request.path)) fetched.push(request.path);
      return undefined;
    };
    const result = await syncGmailConnection(deps, connectionId, { concurrency: 2 });
    fake.onRequest = null;
    expect(result).toMatchObject({ imported: 6 });
    expect(fetched).toHaveLength(6); // the stored four are not even fetched again
    expect(sorted(await importedBodies(database.db, accountId))).toEqual(
      sorted(sent.map((_, i) => `Body ${i}`)),
    );
    expect(await countGmailMessages(database.db, connectionId)).toEqual({ in: 10 });
  });

  it("stores each message once when two syncs of one mailbox run at once", async () => {
    const { accountId, address, connectionId, mailbox } = await connected();
    const deps = syncDeps(database.db, config);
    await syncGmailConnection(deps, connectionId);
    for (let i = 0; i < 12; i++) deliver(mailbox, address, `Race ${i}`, `Race body ${i}`);
    const results = await Promise.all([
      syncGmailConnection(deps, connectionId, { concurrency: 3 }),
      syncGmailConnection(deps, connectionId, { concurrency: 3 }),
    ]);
    expect((results[0]?.imported ?? 0) + (results[1]?.imported ?? 0)).toBe(12);
    const bodies = await importedBodies(database.db, accountId);
    expect(bodies).toHaveLength(12);
    expect(new Set(bodies).size).toBe(12);
    expect((await conversationsOf(accountId)).length).toBe(12);
  });

  it("starts over when the history id has expired, importing only what it lacks", async () => {
    const { accountId, address, connectionId, mailbox } = await connected();
    const deps = syncDeps(database.db, config);
    deliver(mailbox, address, "Old one", "Before the downtime");
    await syncGmailConnection(deps, connectionId);
    deliver(mailbox, address, "During downtime", "Sent while Netia was down");
    mailbox.expireHistory();
    deliver(mailbox, address, "After expiry", "After the history was gone");

    const result = await syncGmailConnection(deps, connectionId);
    expect(result).toMatchObject({ mode: "full_resync", imported: 2 });
    expect(sorted(await importedBodies(database.db, accountId))).toEqual(
      sorted(["Before the downtime", "Sent while Netia was down", "After the history was gone"]),
    );
    expect((await connectionRow(database.db, connectionId)).historyId).toBe(
      String(mailbox.historyId),
    );
    // And the incremental sync works again from the new id.
    deliver(mailbox, address, "Later", "Later still");
    expect(await syncGmailConnection(deps, connectionId)).toMatchObject({
      mode: "incremental",
      imported: 1,
    });
  });

  it("waits out a storm of 429s and loses nothing, even when one run gives up", async () => {
    const { accountId, address, connectionId, mailbox } = await connected();
    const deps = { ...syncDeps(database.db, config), retry: { attempts: 3, baseDelayMs: 1 } };
    await syncGmailConnection(deps, connectionId);
    for (let i = 0; i < 8; i++) deliver(mailbox, address, `Storm ${i}`, `Storm body ${i}`);
    fake.failNext(7, { status: 429, retryAfterSeconds: 0 });
    const started = Date.now();
    // Like the job's retries: run again until a run gets through.
    let runs = 0;
    for (;;) {
      runs++;
      try {
        await syncGmailConnection(deps, connectionId, { concurrency: 1 });
        break;
      } catch (error) {
        expect((error as { response?: { status?: number } }).response?.status).toBe(429);
        if (runs > 10) throw error;
      }
    }
    expect(runs).toBeGreaterThan(1);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await importedBodies(database.db, accountId)).toEqual(
      Array.from({ length: 8 }, (_, i) => `Storm body ${i}`),
    );
  });

  it("marks the connection reconnect_required when Google revokes its tokens, and stops syncing", async () => {
    const { address, connectionId, mailbox } = await connected();
    const deps = syncDeps(database.db, config);
    await syncGmailConnection(deps, connectionId);
    fake.revoke(address);
    deliver(mailbox, address, "After revoke", "Will not be read");
    await expect(syncGmailConnection(deps, connectionId)).rejects.toBeInstanceOf(
      GmailReconnectRequired,
    );
    const row = await connectionRow(database.db, connectionId);
    expect(row.status).toBe("reconnect_required");
    expect(row.lastError).toMatch(/invalid_grant/);
    const requests = fake.requests.length;
    await expect(syncGmailConnection(deps, connectionId)).rejects.toBeInstanceOf(
      GmailReconnectRequired,
    );
    expect(fake.requests.length).toBe(requests); // Google is not even asked
  });

  it("refreshes an expired access token and stores the new one encrypted", async () => {
    const { address, connectionId, mailbox } = await connected();
    const deps = syncDeps(database.db, config);
    const before = await connectionRow(database.db, connectionId);
    fake.expireAccessTokens();
    deliver(mailbox, address, "Hello", "After expiry");
    expect(await syncGmailConnection(deps, connectionId)).toMatchObject({ imported: 1 });
    const after = await connectionRow(database.db, connectionId);
    expect(after.status).toBe("active");
    const oldAccess = decryptToken(config.secretKeyBase, before.accessTokenEncrypted as string);
    const newAccess = decryptToken(config.secretKeyBase, after.accessTokenEncrypted as string);
    expect(newAccess).not.toBe(oldAccess);
    expect(newAccess).toMatch(/^ya29\.fake-/);

    // A token past its stored expiry is refreshed before it is used at all.
    await database.db
      .update(schema.gmailConnections)
      .set({ accessTokenExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.gmailConnections.id, connectionId));
    const refused = fake.requests.length;
    deliver(mailbox, address, "Hello again", "After the stored expiry");
    expect(await syncGmailConnection(deps, connectionId)).toMatchObject({ imported: 1 });
    const latest = await connectionRow(database.db, connectionId);
    expect(decryptToken(config.secretKeyBase, latest.accessTokenEncrypted as string)).not.toBe(
      newAccess,
    );
    expect(latest.accessTokenExpiresAt?.getTime()).toBeGreaterThan(Date.now());
    // The history and the message, and no call refused for its token first.
    expect(fake.requests.length - refused).toBe(2);
  });

  it("ignores a message Netia sent itself when the history lists it", async () => {
    const { accountId, address, connectionId, mailbox } = await connected();
    const deps = syncDeps(database.db, config);
    deliver(mailbox, address, "Hi", "Customer text");
    await syncGmailConnection(deps, connectionId);
    const ours = mailbox.add(
      customerMail({ from: address, to: "carla@customer.test", subject: "Re: Hi", text: "ours" })
        .raw,
      { labelIds: ["SENT"] },
    );
    await database.db.insert(schema.gmailMessages).values({
      connectionId,
      gmailId: ours.id,
      accountId,
      direction: "out",
    });
    expect(await syncGmailConnection(deps, connectionId)).toMatchObject({ imported: 0 });
    const [row] = await database.db
      .select({ direction: schema.gmailMessages.direction })
      .from(schema.gmailMessages)
      .where(
        and(
          eq(schema.gmailMessages.connectionId, connectionId),
          eq(schema.gmailMessages.gmailId, ours.id),
        ),
      );
    expect(row?.direction).toBe("out");
    expect(await importedBodies(database.db, accountId)).toEqual(["Customer text"]);
  });
});
