// Help for agents through the real router and the real `openai` SDK, against
// the local fake of the OpenAI protocol: a suggestion, a summary and a rewrite
// stream piece by piece, are recorded as runs, read only the account's own
// conversation, and a rewrite reads nothing but the draft it was given.
import { randomUUID } from "node:crypto";
import { createAiProvider } from "@netia/ai";
import { schema } from "@netia/db";
import type { Runtime } from "@netia/runtime";
import { type FakeOpenAI, startFakeOpenAI } from "@netia/testkit/openai";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { type Client, createTestRuntime, newVisitor, signUpAccount, testConfig } from "../testing";

let rt: Runtime;
let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: "sk-test" });
  const llm = { ...testConfig().llm, apiKey: "sk-test", baseUrl: fake.url, maxRetries: 0 };
  rt = await createTestRuntime({ ai: createAiProvider(llm) });
});
afterAll(async () => {
  await rt.database.close();
  await fake.close();
});
beforeEach(() => fake.reset());

type HelpEvent = {
  delta?: string;
  done?: true;
  usage?: { promptTokens: number; completionTokens: number; model: string };
};

/** Everything a help subscription yields, to its end. */
async function help(caller: Client, input: Parameters<Client["assistant"]["help"]>[0]) {
  const events: HelpEvent[] = [];
  for await (const event of await caller.assistant.help(input)) events.push(event as HelpEvent);
  return events;
}

async function runsOf(accountId: string) {
  return rt.db
    .select()
    .from(schema.assistantRuns)
    .where(eq(schema.assistantRuns.accountId, accountId));
}

/** An account with business context, a knowledge article, and a conversation with a customer, an agent and a note. */
async function setUp() {
  const account = await signUpAccount(rt, "Acme Bikes");
  const accountId = account.account.id;
  await account.admin.assistant.updateSettings({
    businessName: "Acme Bikes",
    description: "Bicycle repairs in Lyon.",
    faqs: [{ question: "Opening hours?", answer: "9 to 6, Monday to Saturday." }],
  });
  const [article] = await rt.db
    .insert(schema.knowledgeArticles)
    .values({ accountId, title: "Warranty", body: "x", url: "https://acme.example/warranty" })
    .returning();
  if (!article) throw new Error("no article");
  await rt.db.insert(schema.knowledgePassages).values({
    accountId,
    articleId: article.id,
    position: 0,
    heading: "Warranty",
    body: "Every repair carries a two-year warranty on parts and labour.",
  });
  const visitor = await newVisitor(rt, accountId);
  const { conversationId } = await visitor.widget.widget.sendMessage({
    body: "Is my repair under warranty?",
    clientMessageId: randomUUID(),
  });
  await account.admin.messages.reply({ conversationId, body: "Let me check that for you." });
  await account.admin.messages.note({ conversationId, body: "private: VIP customer" });
  return { ...account, accountId, conversationId };
}

it("streams a suggested reply piece by piece from the conversation, the business context and the knowledge base, and records the run", async () => {
  const a = await setUp();
  fake.onChat(() => ({ chunks: ["Yes, ", "every repair ", "has a two-year warranty."] }));

  const events = await help(a.admin, { conversationId: a.conversationId, kind: "suggestion" });
  expect(events.filter((e) => e.delta).map((e) => e.delta)).toEqual([
    "Yes, ",
    "every repair ",
    "has a two-year warranty.",
  ]);
  const done = events.at(-1);
  expect(done?.done).toBe(true);
  expect(done?.usage?.promptTokens).toBeGreaterThan(0);
  expect(done?.usage?.completionTokens).toBeGreaterThan(0);

  // One streamed request, with the roles right and the context in the system prompt.
  expect(fake.chats).toHaveLength(1);
  const [body] = fake.chats;
  expect(body?.stream).toBe(true);
  const messages = body?.messages as { role: string; content: string }[];
  expect(messages.map((m) => m.role)).toEqual(["system", "user", "assistant"]);
  expect(messages[0]?.content).toContain("Acme Bikes");
  expect(messages[0]?.content).toContain("9 to 6, Monday to Saturday.");
  expect(messages[0]?.content).toContain("two-year warranty on parts and labour");
  expect(messages[1]?.content).toBe("Is my repair under warranty?");
  expect(messages[2]?.content).toBe("Let me check that for you.");
  // A note is for the team, never material for a reply to the customer.
  expect(JSON.stringify(messages)).not.toContain("VIP customer");

  const runs = await runsOf(a.accountId);
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({
    kind: "suggestion",
    outcome: "drafted",
    conversationId: a.conversationId,
    promptTokens: done?.usage?.promptTokens,
    completionTokens: done?.usage?.completionTokens,
    sources: [{ title: "Warranty", url: "https://acme.example/warranty" }],
  });
  // Nothing was sent to the customer.
  const bot = await rt.db
    .select()
    .from(schema.messages)
    .where(
      and(
        eq(schema.messages.conversationId, a.conversationId),
        eq(schema.messages.senderType, "bot"),
      ),
    );
  expect(bot).toEqual([]);
});

it("summarizes with the team's notes, and rewrites only the text it is given", async () => {
  const a = await setUp();
  fake.onChat(() => ({ chunks: ["- Asks about warranty", "\n- Agent checking"] }));
  const summary = await help(a.admin, {
    conversationId: a.conversationId,
    kind: "summary",
  });
  expect(
    summary
      .filter((e) => e.delta)
      .map((e) => e.delta)
      .join(""),
  ).toBe("- Asks about warranty\n- Agent checking");
  expect(JSON.stringify(fake.chats[0]?.messages)).toContain("VIP customer");

  fake.onChat(() => ({ chunks: ["Thanks! ", "We'll check."] }));
  const draft = "thank you for you're patience, we will check the warrenty";
  const rewrite = await help(a.admin, {
    conversationId: a.conversationId,
    kind: "rewrite",
    text: draft,
    style: "grammar",
  });
  expect(rewrite.filter((e) => e.delta).map((e) => e.delta)).toEqual(["Thanks! ", "We'll check."]);
  const messages = fake.chats[1]?.messages as { role: string; content: string }[];
  expect(messages.map((m) => m.role)).toEqual(["system", "user"]);
  expect(messages[1]?.content).toBe(draft);
  const sent = JSON.stringify(messages);
  for (const fromConversation of [
    "Is my repair under warranty?",
    "VIP customer",
    "Acme Bikes",
    "two-year",
  ]) {
    expect(sent).not.toContain(fromConversation);
  }
  expect((await runsOf(a.accountId)).map((r) => r.kind).sort()).toEqual(["rewrite", "summary"]);
});

it("refuses another account's conversation before asking the provider", async () => {
  const a = await setUp();
  const b = await signUpAccount(rt, "Rival");
  fake.onChat(() => ({ content: "leaked" }));
  for (const kind of ["suggestion", "summary"] as const) {
    await expect(help(b.admin, { conversationId: a.conversationId, kind })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  }
  await expect(
    help(b.admin, {
      conversationId: a.conversationId,
      kind: "rewrite",
      text: "hi",
      style: "shorter",
    }),
  ).rejects.toMatchObject({ code: "NOT_FOUND" });
  expect(fake.chats).toEqual([]);
  expect(await runsOf(b.account.id)).toEqual([]);
  expect(await runsOf(a.accountId)).toEqual([]);
});

it("says the provider is busy on a 429, and limits how often one agent asks", async () => {
  const a = await setUp();
  fake.scriptChat({ status: 429, retryAfterSeconds: 0 });
  await expect(
    help(a.admin, { conversationId: a.conversationId, kind: "summary" }),
  ).rejects.toMatchObject({
    code: "TOO_MANY_REQUESTS",
  });
  expect(await runsOf(a.accountId)).toEqual([]);

  const limited = await createTestRuntime({
    database: rt.database,
    ai: rt.ai,
    rateLimits: {
      signUpPerIp: 1e6,
      widgetPerIp: 1e6,
      widgetPerAccount: 1e6,
      assistantHelpPerAgent: 1,
    },
  });
  const c = await signUpAccount(limited);
  const visitor = await newVisitor(limited, c.account.id);
  const { conversationId } = await visitor.widget.widget.sendMessage({
    body: "hi",
    clientMessageId: randomUUID(),
  });
  fake.onChat(() => ({ content: "ok" }));
  await help(c.admin, { conversationId, kind: "summary" });
  await expect(help(c.admin, { conversationId, kind: "summary" })).rejects.toMatchObject({
    code: "TOO_MANY_REQUESTS",
  });
});

it("is refused with the reason when the server has no AI provider", async () => {
  const off = await createTestRuntime({ database: rt.database, ai: null });
  const c = await signUpAccount(off);
  const visitor = await newVisitor(off, c.account.id);
  const { conversationId } = await visitor.widget.widget.sendMessage({
    body: "hi",
    clientMessageId: randomUUID(),
  });
  await expect(help(c.admin, { conversationId, kind: "suggestion" })).rejects.toMatchObject({
    code: "BAD_REQUEST",
    message: expect.stringContaining("OPENAI_API_KEY"),
  });
});
