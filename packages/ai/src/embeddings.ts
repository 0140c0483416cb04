// Embeddings: texts turned into vectors by the provider's embedding model
// (LLM_EMBEDDING_MODEL), and whether the database can compare them with pgvector.
// Without pgvector the comparison is done in SQL over `real[]` (knowledge.ts),
// which is exact and fine for knowledge bases of a few thousand passages.
import type { Db } from "@netia/db";
import { sql } from "drizzle-orm";
import type { AiProvider } from "./provider";

/** Inputs per embeddings request: well under the API's limit of 2,048. */
const BATCH = 64;
/** Characters of one input: passages are shorter; a long question is cut rather than refused. */
const MAX_INPUT_CHARS = 8000;

/**
 * One vector per text, in order. Throws when the provider has no embedding
 * model, or fails (the SDK retries first; a job retries on top).
 */
export async function embedTexts(
  ai: AiProvider,
  texts: string[],
  options: { signal?: AbortSignal } = {},
): Promise<number[][]> {
  const model = ai.embeddingModel;
  if (!model) throw new Error("the AI provider has no embedding model (LLM_EMBEDDING_MODEL)");
  const client = await ai.client();
  const vectors: number[][] = [];
  for (let start = 0; start < texts.length; start += BATCH) {
    const input = texts.slice(start, start + BATCH).map((t) => t.slice(0, MAX_INPUT_CHARS) || " ");
    const response = await client.embeddings.create({ model, input }, { signal: options.signal });
    const ordered = [...response.data].sort((a, b) => a.index - b.index);
    if (ordered.length !== input.length) {
      throw new Error(
        `the embedding model returned ${ordered.length} vectors for ${input.length} texts`,
      );
    }
    vectors.push(...ordered.map((d) => d.embedding));
  }
  return vectors;
}

const vectorSupport = new WeakMap<Db, Promise<boolean>>();

/**
 * Whether `db` has pgvector, found out once per database: installed already,
 * or available and installable by this role. `create extension` needs rights
 * a managed database may not grant: it runs in a transaction of its own, so a
 * refusal leaves nothing behind, and search then compares in plain SQL.
 */
export function hasPgvector(db: Db): Promise<boolean> {
  let known = vectorSupport.get(db);
  if (!known) {
    known = detectPgvector(db);
    vectorSupport.set(db, known);
  }
  return known;
}

async function detectPgvector(db: Db): Promise<boolean> {
  const rows = async (query: ReturnType<typeof sql>) =>
    ((await db.execute(query)) as unknown as { rows: unknown[] }).rows.length > 0;
  try {
    if (await rows(sql`select 1 from pg_extension where extname = 'vector'`)) return true;
    if (!(await rows(sql`select 1 from pg_available_extensions where name = 'vector'`))) {
      return false;
    }
    await db.transaction(async (tx) => {
      await tx.execute(sql`create extension if not exists vector`);
    });
    return true;
  } catch {
    return false;
  }
}
