// Retrieval quality of the knowledge base: a help center of 35 articles
// (bench/ai/data/articles, a booking SaaS with a hardware shop) and 70
// paraphrased customer questions, each labelled with the article that answers
// it (bench/ai/data/questions.json). Loads them into a fresh embedded database
// through the same import as the dashboard, then asks every question through
// retrieveKnowledge, as the assistant does, and reports recall@3 (the answer's
// article is among the articles of the top 3 passages) and recall@1:
//   - full-text search alone (no embedding model);
//   - hybrid: embeddings from the fake OpenAI server (@netia/testkit/openai,
//     a hashed bag of word stems, not a semantic model) fused with full text.
// Misses are listed so a change to ranking can be judged question by question.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { AiProvider } from "@netia/ai";
import { createAiProvider, embedTexts, hasPgvector, retrieveKnowledge } from "@netia/ai";
import { importMarkdownArticles, passagesToEmbed, storePassageEmbeddings } from "@netia/core";
import { createDatabase, type Db, migrate, schema } from "@netia/db";
import { startFakeOpenAI } from "@netia/testkit/openai";
import { log } from "../lib/run";

const DATA = join(dirname(fileURLToPath(import.meta.url)), "data");
const TOP = 3;

type Labelled = { question: string; article: string };

function loadData() {
  const dir = join(DATA, "articles");
  const files = readdirSync(dir)
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), "utf8") }));
  const questions = JSON.parse(readFileSync(join(DATA, "questions.json"), "utf8")) as Labelled[];
  return { files, questions };
}

/** The embedding model's name as the fake serves it. */
const EMBEDDING_MODEL = "text-embedding-3-small";

async function embedAll(db: Db, ai: AiProvider, accountId: string, articleIds: string[]) {
  for (const articleId of articleIds) {
    const passages = await passagesToEmbed(db, { accountId, articleId, model: EMBEDDING_MODEL });
    const vectors = await embedTexts(
      ai,
      passages.map((p) => p.text),
    );
    await storePassageEmbeddings(db, {
      accountId,
      model: EMBEDDING_MODEL,
      embeddings: passages.map((p, i) => ({ id: p.id, embedding: vectors[i] as number[] })),
    });
  }
}

async function measure(
  label: string,
  deps: { db: Db; ai: AiProvider | null },
  accountId: string,
  questions: Labelled[],
  slugOf: Map<string, string>,
) {
  let atOne = 0;
  let atTop = 0;
  const misses: string[] = [];
  const timings: number[] = [];
  for (const { question, article } of questions) {
    const started = performance.now();
    const passages = await retrieveKnowledge(deps, { accountId, question, limit: TOP });
    timings.push(performance.now() - started);
    const found = passages.map((p) => slugOf.get(p.articleId));
    if (found[0] === article) atOne++;
    if (found.includes(article)) atTop++;
    else misses.push(`    "${question}" → wanted ${article}, got ${found.join(", ") || "nothing"}`);
  }
  timings.sort((a, b) => a - b);
  const median = timings[Math.floor(timings.length / 2)] ?? 0;
  log(
    `${label.padEnd(22)} recall@${TOP} ${(atTop / questions.length).toFixed(3)}  recall@1 ${(atOne / questions.length).toFixed(3)}  median ${median.toFixed(1)} ms`,
  );
  for (const miss of misses) log(miss);
}

async function main() {
  const { files, questions } = loadData();
  const client = new PGlite();
  const database = createDatabase({ kind: "pglite-instance", client });
  await migrate(database);
  const db = database.db;
  const [account] = await db
    .insert(schema.accounts)
    .values({ companyName: "Fernbook" })
    .returning({ id: schema.accounts.id });
  const accountId = account?.id as string;
  // Imported as an admin would, without an embedding model: no embedding jobs.
  const imported = await importMarkdownArticles(
    { db, ai: null, jobs: { enqueue: () => Promise.reject(new Error("no jobs here")) } },
    { accountId, files },
  );
  const slugOf = new Map(imported.map((a, i) => [a.id, files[i]?.name.replace(/\.md$/, "") ?? ""]));
  const passages = imported.reduce((sum, a) => sum + a.passages, 0);
  log(
    `Knowledge base: ${imported.length} articles, ${passages} passages; ${questions.length} questions (PGlite, pgvector: ${(await hasPgvector(db)) ? "yes" : "no, cosine over real[] in SQL"})`,
  );

  await measure("full-text search", { db, ai: null }, accountId, questions, slugOf);

  const fake = await startFakeOpenAI();
  try {
    const ai = createAiProvider({
      apiKey: "sk-bench",
      baseUrl: fake.url,
      model: "gpt-4o-mini",
      maxTokens: 500,
      temperature: 0.7,
      timeoutMs: 30_000,
      maxRetries: 2,
      embeddingModel: EMBEDDING_MODEL,
    });
    if (!ai) throw new Error("no AI provider");
    await embedAll(
      db,
      ai,
      accountId,
      imported.map((a) => a.id),
    );
    await measure("hybrid (fake embeddings)", { db, ai }, accountId, questions, slugOf);
  } finally {
    await fake.close();
    await database.close();
  }
}

await main();
