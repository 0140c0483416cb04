// The reports' SQL against hand-made rows whose numbers are worked out below,
// on the run's database (Postgres when reachable) and on PGlite, which must
// give the same answers. The account is in Tokyo (UTC+9, no daylight saving)
// with working hours Monday–Friday 09:00–17:00; the range is its 9th to 11th
// of March 2026 (Monday to Wednesday, the 12th excluded).
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  agentsReport,
  conversationsByWeekdayHour,
  conversationsPerDay,
  inboxesReport,
  MAX_REPORT_DAYS,
  messagesPerDay,
  type ReportScope,
  reportScope,
  responseTimes,
} from "@netia/core";
import { createDatabase, type Database, type Db, migrate, schema } from "@netia/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../testing";

const TOKYO = 9 * 3600_000;
/** An instant given as Tokyo wall-clock time. */
const tokyo = (local: string) => new Date(Date.parse(`${local}Z`) - TOKYO);
const plus = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000);

type Conversation = {
  inbox: "support" | "sales";
  /** Tokyo time. */
  at: string;
  assignee?: "a" | "b";
  firstReplySeconds?: number;
  closedSeconds?: number;
};

// Name: when (Tokyo), where it counts.
const CONVERSATIONS: Record<string, Conversation> = {
  // Mon 9th 23:30: the 9th locally (14:30 UTC the same day), outside hours.
  c1: {
    inbox: "support",
    at: "2026-03-09T23:30:00",
    assignee: "a",
    firstReplySeconds: 60,
    closedSeconds: 3600,
  },
  // Tue 10th 00:30: the 10th locally though still the 9th in UTC; outside hours.
  c2: { inbox: "support", at: "2026-03-10T00:30:00", assignee: "a", firstReplySeconds: 120 },
  // Tue 10:00 and 16:59: within hours.
  c3: {
    inbox: "support",
    at: "2026-03-10T10:00:00",
    assignee: "b",
    firstReplySeconds: 30,
    closedSeconds: 600,
  },
  c4: {
    inbox: "support",
    at: "2026-03-10T16:59:00",
    assignee: "a",
    firstReplySeconds: 90,
    closedSeconds: 1200,
  },
  // Wed 17:00: the end of the hours is outside them. Never answered by a person.
  c5: { inbox: "sales", at: "2026-03-11T17:00:00" },
  // Wed 09:00: the start of the hours is within them.
  c6: {
    inbox: "sales",
    at: "2026-03-11T09:00:00",
    assignee: "b",
    firstReplySeconds: 300,
    closedSeconds: 7200,
  },
  // Thu 12th 00:00: the 11th in UTC but outside the range locally.
  c7: { inbox: "support", at: "2026-03-12T00:00:00", assignee: "a", firstReplySeconds: 10_000 },
  // Sun 8th 23:59: before the range; its reply (Mon 00:10) is in it.
  c8: { inbox: "support", at: "2026-03-08T23:59:00", assignee: "a", firstReplySeconds: 660 },
};

type Seeded = {
  accountId: string;
  users: { a: string; b: string; c: string };
  inboxes: { support: string; sales: string; empty: string };
};

async function seedAccount(db: Db): Promise<Seeded> {
  const [account] = await db
    .insert(schema.accounts)
    .values({
      companyName: "Tokyo Tea",
      timeZone: "Asia/Tokyo",
      workingHours: [1, 2, 3, 4, 5].map((day) => ({ day, startMinute: 540, endMinute: 1020 })),
    })
    .returning();
  if (!account) throw new Error("no account");
  const accountId = account.id;
  const user = async (name: string) => {
    const id = randomUUID();
    await db.insert(schema.users).values({ id, name, email: `${id}@example.com` });
    await db.insert(schema.memberships).values({ accountId, userId: id });
    return id;
  };
  const users = { a: await user("Aiko"), b: await user("Bunta"), c: await user("Chie") };
  const inbox = async (name: string) => {
    const [row] = await db
      .insert(schema.inboxes)
      .values({ accountId, name, identitySecret: "secret" })
      .returning({ id: schema.inboxes.id });
    if (!row) throw new Error("no inbox");
    return row.id;
  };
  const inboxes = {
    support: await inbox("Support"),
    sales: await inbox("Sales"),
    empty: await inbox("Zed"),
  };
  const [customer] = await db
    .insert(schema.customers)
    .values({ accountId, name: "Kenji" })
    .returning({ id: schema.customers.id });
  if (!customer) throw new Error("no customer");

  for (const [name, c] of Object.entries(CONVERSATIONS)) {
    const createdAt = tokyo(c.at);
    const assigneeId = c.assignee ? users[c.assignee] : null;
    const firstRepliedAt =
      c.firstReplySeconds === undefined ? null : plus(createdAt, c.firstReplySeconds);
    const closedAt = c.closedSeconds === undefined ? null : plus(createdAt, c.closedSeconds);
    const [conversation] = await db
      .insert(schema.conversations)
      .values({
        accountId,
        inboxId: inboxes[c.inbox],
        customerId: customer.id,
        assigneeId,
        status: closedAt ? "closed" : "open",
        firstRepliedAt,
        closedAt,
        createdAt,
        lastActivityAt: createdAt,
      })
      .returning({ id: schema.conversations.id });
    if (!conversation) throw new Error("no conversation");
    const message = { accountId, conversationId: conversation.id };
    await db.insert(schema.messages).values({
      ...message,
      senderType: "customer",
      customerId: customer.id,
      body: `hello from ${name}`,
      createdAt,
    });
    if (firstRepliedAt && assigneeId) {
      await db.insert(schema.messages).values({
        ...message,
        senderType: "user",
        userId: assigneeId,
        body: "on it",
        createdAt: firstRepliedAt,
      });
    }
  }
  const conversationOf = async (name: keyof typeof CONVERSATIONS) => {
    const at = tokyo(CONVERSATIONS[name]?.at ?? "");
    const rows = await db.query.conversations.findFirst({
      where: (t, { and, eq }) => and(eq(t.accountId, accountId), eq(t.createdAt, at)),
    });
    if (!rows) throw new Error(`no ${name}`);
    return rows.id;
  };
  // A private note by B in c3: not a reply, not a sent message.
  await db.insert(schema.messages).values({
    accountId,
    conversationId: await conversationOf("c3"),
    senderType: "user",
    type: "note",
    private: true,
    userId: users.b,
    body: "note to self",
    createdAt: tokyo("2026-03-10T10:05:00"),
  });
  // The assistant answers c5 a minute in: sent, but nobody's reply.
  await db.insert(schema.messages).values({
    accountId,
    conversationId: await conversationOf("c5"),
    senderType: "bot",
    type: "bot",
    body: "Hi! How can I help?",
    createdAt: tokyo("2026-03-11T17:01:00"),
  });
  return { accountId, users, inboxes };
}

type Opened = { database: Database; dispose(): Promise<void> };

async function openPglite(): Promise<Opened> {
  const dir = mkdtempSync(join(tmpdir(), "netia-reports-"));
  const database = createDatabase({ kind: "pglite", dir });
  await migrate(database);
  return {
    database,
    async dispose() {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openShared(): Promise<Opened> {
  const database = await openTestDatabase();
  return { database, dispose: () => database.close() };
}

describe.each([
  ["the run's database", openShared],
  ["PGlite", openPglite],
])("reports on %s", (_name, open) => {
  let opened: Opened;
  let db: Db;
  let mine: Seeded;
  let scope: ReportScope;

  beforeAll(async () => {
    opened = await open();
    db = opened.database.db;
    mine = await seedAccount(db);
    // Another account with the very same rows: none of them may ever count.
    await seedAccount(db);
    scope = await reportScope(db, {
      accountId: mine.accountId,
      from: "2026-03-09",
      to: "2026-03-12",
    });
  });
  afterAll(async () => {
    await opened?.dispose();
  });

  it("counts conversations on the account's local day", async () => {
    expect(await conversationsPerDay(db, scope)).toEqual([
      { day: "2026-03-09", conversations: 1 },
      { day: "2026-03-10", conversations: 3 },
      { day: "2026-03-11", conversations: 2 },
    ]);
  });

  it("splits messages into sent (public agent and bot) and received (customer) per day", async () => {
    expect(await messagesPerDay(db, scope)).toEqual([
      // c1's question and reply; c8's reply (its question was on the 8th).
      { day: "2026-03-09", sent: 2, received: 1 },
      // c2, c3, c4: a question and a reply each; c3's note is not sent.
      { day: "2026-03-10", sent: 3, received: 3 },
      // c6's question and reply, c5's question and the bot's answer.
      { day: "2026-03-11", sent: 2, received: 2 },
    ]);
  });

  it("places conversations on the local weekday and hour", async () => {
    expect(await conversationsByWeekdayHour(db, scope)).toEqual([
      { weekday: 1, hour: 23, conversations: 1 },
      { weekday: 2, hour: 0, conversations: 1 },
      { weekday: 2, hour: 10, conversations: 1 },
      { weekday: 2, hour: 16, conversations: 1 },
      { weekday: 3, hour: 9, conversations: 1 },
      { weekday: 3, hour: 17, conversations: 1 },
    ]);
  });

  it("gives each agent their conversations, closes, replies and median first response", async () => {
    expect(await agentsReport(db, scope)).toEqual([
      // c1, c2, c4 (c1 and c4 closed); replies in c1, c2, c4 and c8; median of 60, 120, 90.
      {
        userId: mine.users.a,
        name: "Aiko",
        assigned: 3,
        closed: 2,
        replies: 4,
        medianFirstResponseSeconds: 90,
      },
      // c3 and c6, both closed; the note is no reply; median of 30 and 300.
      {
        userId: mine.users.b,
        name: "Bunta",
        assigned: 2,
        closed: 2,
        replies: 2,
        medianFirstResponseSeconds: 165,
      },
      // A member with nothing yet is still listed.
      {
        userId: mine.users.c,
        name: "Chie",
        assigned: 0,
        closed: 0,
        replies: 0,
        medianFirstResponseSeconds: null,
      },
    ]);
  });

  it("counts conversations and public messages per inbox, empty inboxes included", async () => {
    expect(await inboxesReport(db, scope)).toEqual([
      // c1–c4 with two messages each (c3's note left out) and c8's reply.
      { inboxId: mine.inboxes.support, name: "Support", conversations: 4, messages: 9 },
      { inboxId: mine.inboxes.sales, name: "Sales", conversations: 2, messages: 4 },
      { inboxId: mine.inboxes.empty, name: "Zed", conversations: 0, messages: 0 },
    ]);
  });

  it("gives median and p90 of first response and resolution, within and outside hours", async () => {
    const times = await responseTimes(db, scope);
    // First responses 30, 60, 90, 120, 300 s (c5 unanswered). p90 interpolates:
    // position 0.9 × 4 = 3.6, so 120 + 0.6 × (300 − 120) = 228.
    expect(times.firstResponse).toEqual({
      all: { count: 5, median: 90, p90: 228 },
      // c3, c4, c6: 30, 90, 300; p90 at 1.8: 90 + 0.8 × 210.
      withinHours: { count: 3, median: 90, p90: 258 },
      // c1, c2: 60, 120; p90 at 0.9: 60 + 0.9 × 60.
      outsideHours: { count: 2, median: 90, p90: 114 },
    });
    // Closed: c1 3600, c3 600, c4 1200, c6 7200.
    expect(times.resolution).toEqual({
      all: { count: 4, median: 2400, p90: 6120 },
      withinHours: { count: 3, median: 1200, p90: 6000 },
      outsideHours: { count: 1, median: 3600, p90: 3600 },
    });
  });

  it("has nulls, zeros and every day when nothing happened", async () => {
    const quiet = await reportScope(db, {
      accountId: mine.accountId,
      from: "2026-01-01",
      to: "2026-01-03",
    });
    expect(await conversationsPerDay(db, quiet)).toEqual([
      { day: "2026-01-01", conversations: 0 },
      { day: "2026-01-02", conversations: 0 },
    ]);
    expect((await responseTimes(db, quiet)).firstResponse.all).toEqual({
      count: 0,
      median: null,
      p90: null,
    });
  });

  it("counts every hour as within hours when none are set", async () => {
    const always = { ...scope, workingHours: [] };
    const { firstResponse } = await responseTimes(db, always);
    expect(firstResponse.withinHours.count).toBe(5);
    expect(firstResponse.outsideHours.count).toBe(0);
  });

  it("refuses ranges that are empty, backwards or longer than a year", async () => {
    const { accountId } = mine;
    await expect(
      reportScope(db, { accountId, from: "2026-03-09", to: "2026-03-09" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      reportScope(db, { accountId, from: "2026-03-10", to: "2026-03-09" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      reportScope(db, { accountId, from: "2025-01-01", to: "2026-01-03" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // 366 days (a leap year) is the most.
    const year = await reportScope(db, { accountId, from: "2024-01-01", to: "2025-01-01" });
    expect((await conversationsPerDay(db, year)).length).toBe(MAX_REPORT_DAYS);
  });
});
