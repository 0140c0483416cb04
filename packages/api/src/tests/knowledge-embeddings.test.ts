// Hybrid search end to end, through the real openai SDK against the fake
// OpenAI server: saving an article enqueues the embedding job in the same
// transaction, the job stores one vector per passage (once: a second run
// embeds nothing), and a question whose words full-text search cannot match
// still finds its passage by meaning, within its own account only.
import { retrieveKnowledge } from "@netia/ai";
import { schema } from "@netia/db";
import type { Runtime } from "@netia/runtime";
import { type FakeOpenAI, startFakeOpenAI } from "@netia/testkit/openai";
import { and, eq, isNotNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { createTestRuntime, signUpAccount, testConfig } from "../testing";

let fake: FakeOpenAI;
let rt: Runtime;
beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: "sk-test" });
  rt = await createTestRuntime({
    config: testConfig({
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: fake.url,
      LLM_EMBEDDING_MODEL: "text-embedding-3-small",
      LLM_MAX_RETRIES: "1",
    }),
    jobs: { pollingIntervalSeconds: 0.5 },
  });
});
afterAll(async () => {
  await rt.jobs.stop();
  await rt.database.close();
  await fake.close();
});

const embeddingRequests = () => fake.requests.filter((r) => r.path === "/v1/embeddings");

async function embeddedPassages(articleId: string) {
  return rt.db
    .select({
      embedding: schema.knowledgePassages.embedding,
      model: schema.knowledgePassages.embeddingModel,
    })
    .from(schema.knowledgePassages)
    .where(
      and(
        eq(schema.knowledgePassages.articleId, articleId),
        isNotNull(schema.knowledgePassages.embedding),
      ),
    );
}

/** A job's state as pg-boss keeps it ("created", "active", "completed", …). */
async function jobState(id: string | null) {
  const result = (await rt.db.execute(
    sql`select state from pgboss.job where id = ${id}`,
  )) as unknown as { rows: { state: string }[] };
  return result.rows[0]?.state;
}

const waitForEmbedding = (articleId: string, passages: number) =>
  vi.waitFor(async () => expect(await embeddedPassages(articleId)).toHaveLength(passages), {
    timeout: 20_000,
    interval: 100,
  });

it("embeds every passage of a saved article once, and again after an edit", async () => {
  const { admin, account } = await signUpAccount(rt, "Kb Embed");
  const article = await admin.knowledge.create({
    title: "Opening hours",
    body: "## Weekdays\n\nWe open at nine.\n\n## Weekends\n\nClosed on Sundays.",
  });
  await waitForEmbedding(article.id, 2);
  const stored = await embeddedPassages(article.id);
  expect(stored.every((p) => p.model === "text-embedding-3-small")).toBe(true);
  expect(stored.every((p) => p.embedding?.length === 256)).toBe(true);
  const listed = await admin.knowledge.list();
  expect(listed.embeddingModel).toBe("text-embedding-3-small");
  expect(listed.articles[0]).toMatchObject({ passages: 2, embeddedPassages: 2 });

  // A job that runs again finds nothing left to embed and asks the provider nothing.
  const before = embeddingRequests().length;
  const jobId = await rt.jobs.enqueue(rt.db, "ai.embed-article", {
    accountId: account.id,
    articleId: article.id,
  });
  await vi.waitFor(async () => expect(await jobState(jobId)).toBe("completed"), {
    timeout: 20_000,
    interval: 100,
  });
  expect(embeddingRequests().length).toBe(before);

  // An edit rebuilds the passages; their successors are embedded in turn.
  await admin.knowledge.update({ id: article.id, body: "Open every day from nine to five." });
  await waitForEmbedding(article.id, 1);
  expect(embeddingRequests().length).toBe(before + 1);
  expect(embeddingRequests().at(-1)?.body).toMatchObject({
    model: "text-embedding-3-small",
    input: ["Opening hours\n\nOpen every day from nine to five."],
  });
});

it("finds by meaning what full-text search misses, and only in the asking account", async () => {
  const a = await signUpAccount(rt, "Kb Hybrid A");
  const b = await signUpAccount(rt, "Kb Hybrid B");
  // Postgres's English configuration keeps accents, so "creme brulee" never
  // matches "Crème brûlée"; the embedding (like a real model's) does.
  const dessert = { title: "Desserts", body: "Crème brûlée is served at the café every Sunday." };
  const ofA = await a.admin.knowledge.create(dessert);
  const hours = await a.admin.knowledge.create({
    title: "Opening hours",
    body: "The restaurant opens at noon.",
  });
  const ofB = await b.admin.knowledge.create(dessert);
  await waitForEmbedding(ofA.id, 1);
  await waitForEmbedding(hours.id, 1);
  await waitForEmbedding(ofB.id, 1);

  const question = "When is creme brulee on the menu?";
  const fullTextOnly = await retrieveKnowledge(
    { db: rt.db, ai: null },
    { accountId: a.account.id, question },
  );
  expect(fullTextOnly).toEqual([]);

  const hybrid = await retrieveKnowledge(
    { db: rt.db, ai: rt.ai },
    { accountId: a.account.id, question, limit: 5 },
  );
  expect(hybrid[0]).toMatchObject({ articleId: ofA.id, title: "Desserts" });
  expect(hybrid.map((p) => p.articleId)).not.toContain(ofB.id);
  expect(embeddingRequests().at(-1)?.body).toMatchObject({ input: [question] });

  // Unpublished, it is found by neither ranking.
  await a.admin.knowledge.setPublished({ id: ofA.id, published: false });
  const afterUnpublish = await retrieveKnowledge(
    { db: rt.db, ai: rt.ai },
    { accountId: a.account.id, question, limit: 5 },
  );
  expect(afterUnpublish.map((p) => p.articleId)).toEqual([hours.id]);
});

it("falls back to full-text search when the provider cannot embed the question", async () => {
  const { admin, account } = await signUpAccount(rt, "Kb Fallback");
  const article = await admin.knowledge.create({
    title: "Parking",
    body: "Free parking behind the shop.",
  });
  await waitForEmbedding(article.id, 1);
  fake.scriptEmbeddings({ status: 500 }, { status: 500 });
  const found = await retrieveKnowledge(
    { db: rt.db, ai: rt.ai },
    { accountId: account.id, question: "Is there parking?" },
  );
  expect(found.map((p) => p.articleId)).toEqual([article.id]);
  // Both scripted failures were spent on the question: the SDK's attempt and its one retry.
  expect(
    embeddingRequests()
      .slice(-2)
      .map((r) => r.body?.input),
  ).toEqual([["Is there parking?"], ["Is there parking?"]]);
});
