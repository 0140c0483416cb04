// The AI page's numbers: usage per day in the account's time zone, totals, the
// billing count, and the list of conversations the assistant handled or handed
// off. Runs rows are inserted directly: what produced them is the reply job's
// business, what they add up to is this test's.
import { randomUUID } from "node:crypto";
import { countAssistantReplies, handOff } from "@netia/core";
import { schema } from "@netia/db";
import type { Runtime } from "@netia/runtime";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestRuntime, newVisitor, signUpAccount } from "../testing";

let rt: Runtime;
beforeAll(async () => {
  rt = await createTestRuntime();
});
afterAll(async () => {
  await rt.database.close();
});

type Run = typeof schema.assistantRuns.$inferInsert;

async function conversationOf(accountId: string, body = "hello") {
  const visitor = await newVisitor(rt, accountId);
  const { conversationId } = await visitor.widget.widget.sendMessage({
    body,
    clientMessageId: randomUUID(),
  });
  return conversationId;
}

async function insertRuns(runs: Run[]) {
  await rt.db.insert(schema.assistantRuns).values(runs);
}

it("sums replies, tokens and outcomes per day of the account's time zone", async () => {
  const { admin, account } = await signUpAccount(rt);
  await admin.account.update({ timeZone: "Asia/Tokyo" });
  const conversationId = await conversationOf(account.id);
  const base = { accountId: account.id, conversationId, kind: "reply" as const };
  await insertRuns([
    // 2026-03-09 23:30 in Tokyo (UTC+9): the 9th.
    {
      ...base,
      outcome: "answered",
      promptTokens: 100,
      completionTokens: 10,
      createdAt: new Date("2026-03-09T14:30:00Z"),
    },
    // 2026-03-10 00:30 in Tokyo, still the 9th in UTC: counts on the 10th.
    {
      ...base,
      outcome: "answered",
      promptTokens: 200,
      completionTokens: 20,
      createdAt: new Date("2026-03-09T15:30:00Z"),
    },
    {
      ...base,
      outcome: "handed_off",
      promptTokens: 50,
      completionTokens: 5,
      createdAt: new Date("2026-03-10T02:00:00Z"),
    },
    { ...base, outcome: "fallback", createdAt: new Date("2026-03-10T03:00:00Z") },
    { ...base, outcome: "skipped", createdAt: new Date("2026-03-10T04:00:00Z") },
    {
      ...base,
      kind: "suggestion",
      outcome: "drafted",
      promptTokens: 7,
      completionTokens: 3,
      createdAt: new Date("2026-03-10T05:00:00Z"),
    },
    // Outside the range asked for.
    {
      ...base,
      outcome: "answered",
      promptTokens: 1000,
      createdAt: new Date("2026-03-12T01:00:00Z"),
    },
  ]);

  const usage = await admin.assistant.usage({ from: "2026-03-08", to: "2026-03-11" });
  expect(usage.timeZone).toBe("Asia/Tokyo");
  expect(usage.days.map((d) => d.day)).toEqual([
    "2026-03-08",
    "2026-03-09",
    "2026-03-10",
    "2026-03-11",
  ]);
  const [d8, d9, d10, d11] = usage.days;
  expect(d8).toMatchObject({ replies: 0, promptTokens: 0, answered: 0 });
  expect(d9).toMatchObject({ replies: 1, promptTokens: 100, completionTokens: 10, answered: 1 });
  expect(d10).toMatchObject({
    replies: 1,
    promptTokens: 200 + 50 + 7,
    completionTokens: 20 + 5 + 3,
    answered: 1,
    handedOff: 1,
    fallback: 1,
    skipped: 1,
    drafted: 1,
  });
  expect(d11).toMatchObject({ replies: 0, promptTokens: 0 });
  expect(usage.total).toMatchObject({
    replies: 2,
    handedOff: 1,
    fallback: 1,
    drafted: 1,
    promptTokens: 357,
  });

  // Billing's count: answered replies only, since a moment.
  expect(await countAssistantReplies(rt.db, account.id, new Date("2026-03-09T15:00:00Z"))).toBe(2);
  expect(await countAssistantReplies(rt.db, account.id, new Date("2026-03-01T00:00:00Z"))).toBe(3);
});

it("reports the last 30 days and this month by default, and nothing of another account", async () => {
  const a = await signUpAccount(rt);
  const b = await signUpAccount(rt);
  const conversationId = await conversationOf(a.account.id);
  await insertRuns([
    {
      accountId: a.account.id,
      conversationId,
      kind: "reply",
      outcome: "answered",
      promptTokens: 40,
      completionTokens: 4,
    },
  ]);
  const usage = await a.admin.assistant.usage();
  expect(usage.days).toHaveLength(30);
  expect(usage.days.at(-1)?.day).toBe(usage.to);
  expect(usage.total).toMatchObject({ replies: 1, promptTokens: 40 });
  expect(usage.thisMonth).toMatchObject({ replies: 1, promptTokens: 40, completionTokens: 4 });
  expect(usage.thisMonth.since.endsWith("-01")).toBe(true);

  const other = await b.admin.assistant.usage();
  expect(other.total.replies).toBe(0);
  expect(other.thisMonth.promptTokens).toBe(0);
});

it("refuses a reversed, oversized or impossible range", async () => {
  const { admin } = await signUpAccount(rt);
  await expect(
    admin.assistant.usage({ from: "2026-03-10", to: "2026-03-01" }),
  ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  await expect(
    admin.assistant.usage({ from: "2024-01-01", to: "2026-01-01" }),
  ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  await expect(admin.assistant.usage({ from: "2026-02-30" })).rejects.toMatchObject({
    code: "BAD_REQUEST",
  });
});

it("lists the conversations the assistant handled and handed off, page by page, per account", async () => {
  const a = await signUpAccount(rt);
  const b = await signUpAccount(rt);
  const accountId = a.account.id;
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const conversationId = await conversationOf(accountId, `question ${i}`);
    await insertRuns([
      {
        accountId,
        conversationId,
        kind: "reply",
        outcome: "answered",
        createdAt: new Date(Date.UTC(2026, 2, 1, 10, i)),
      },
    ]);
    ids.unshift(conversationId);
  }
  // One handed off by the button (newest of all: the handoff happens now).
  const handed = ids[4] as string;
  await handOff(rt, { accountId, conversationId: handed, reason: "button" });
  // An agent answering a conversation the assistant never touched is not listed.
  const untouched = await conversationOf(accountId, "for people");
  await a.admin.messages.reply({ conversationId: untouched, body: "Hi, a person here" });

  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await a.admin.assistant.handoffs({ limit: 2, cursor });
    expect(page.items.length).toBeLessThanOrEqual(2);
    seen.push(...page.items.map((c) => c.conversationId));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  expect(seen).toEqual([handed, ...ids.filter((id) => id !== handed)]);

  const onlyHandedOff = await a.admin.assistant.handoffs({ filter: "handed_off" });
  expect(onlyHandedOff.items).toHaveLength(1);
  expect(onlyHandedOff.items[0]).toMatchObject({
    conversationId: handed,
    answeredBy: "people",
    handoffReason: "button",
    handoffLabel: "the customer pressed “Talk to a person”",
    replies: 1,
  });
  expect(onlyHandedOff.items[0]?.handedOffAt).not.toBeNull();

  expect((await b.admin.assistant.handoffs({})).items).toEqual([]);
  await expect(a.admin.assistant.handoffs({ cursor: "not-a-cursor" })).rejects.toMatchObject({
    code: "BAD_REQUEST",
  });
});
