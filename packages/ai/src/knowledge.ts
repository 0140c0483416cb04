// Finding what the knowledge base says about a question: the passages the
// model is given and cites (docs/knowledge-base.md).
//
// Full-text search always: a customer's question rarely contains every word of
// the answer, so the question's lexemes are OR-ed, and each matching lexeme
// counts by how rare it is among the account's passages (an IDF weight, as in
// BM25) times how it sits in the passage (title and headings weigh more than
// body text). "refund" then outranks "account", which half the articles say.
//
// When the provider has an embedding model, the question is embedded too and
// passages are ranked by cosine similarity — with pgvector where the database
// has it, in plain SQL over `real[]` where it does not — and the two rankings
// are fused by reciprocal rank. A failing embeddings call degrades to full-text
// search alone rather than failing the answer. Either way the answer holds the
// best passage of each of the best articles.
import type { Logger } from "@netia/core";
import type { Db } from "@netia/db";
import { type SQL, sql } from "drizzle-orm";
import { embedTexts, hasPgvector } from "./embeddings";
import type { AiProvider } from "./provider";

export type KnowledgePassage = {
  passageId: string;
  articleId: string;
  title: string;
  url: string | null;
  heading: string;
  body: string;
  score: number;
};

/** Candidates each ranking contributes to the fusion. */
const CANDIDATES = 20;
/** The usual constant of reciprocal rank fusion: later ranks still count, a little. */
const RRF_K = 60;

type Ranked = Omit<KnowledgePassage, "score">;

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

/** Columns every ranking returns, from `p` (passages) joined to `a` (articles). */
const passageColumns = sql`p.id as "passageId", p.article_id as "articleId", a.title, a.url, p.heading, p.body`;

/** The account's published passages, the only ones ever searched. */
const publishedPassages = (accountId: string) => sql`
  knowledge_passages p
  join knowledge_articles a on a.id = p.article_id and a.account_id = p.account_id and a.published
  where p.account_id = ${accountId}`;

/**
 * Full-text ranking: a passage's score is the sum, over the question's
 * lexemes it contains, of the lexeme's IDF among the account's published
 * passages times ts_rank of that lexeme alone (weights A for headings, B for
 * the body; length-normalised so a long passage is not favoured for its size).
 */
async function fullTextRanking(db: Db, accountId: string, question: string, limit: number) {
  const result = await db.execute(sql`
    with terms as (
      select distinct ('''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || '''')::tsquery as q
      from unnest(tsvector_to_array(to_tsvector('english', ${question}))) as lexeme
    ),
    candidates as (
      select ${passageColumns}, p.search from ${publishedPassages(accountId)}
        and exists (select 1 from terms t where p.search @@ t.q)
    ),
    total as (
      select count(*)::float8 as n from ${publishedPassages(accountId)}
    ),
    weights as (
      select t.q, ln(1 + (total.n - count(c."passageId") + 0.5) / (count(c."passageId") + 0.5)) as idf
      from terms t cross join total
      left join candidates c on c.search @@ t.q
      group by t.q, total.n
    )
    select c."passageId", c."articleId", c.title, c.url, c.heading, c.body,
           sum(w.idf * ts_rank('{0.1, 0.2, 0.4, 1.0}', c.search, w.q, 1)) as score
    from candidates c join weights w on c.search @@ w.q
    group by c."passageId", c."articleId", c.title, c.url, c.heading, c.body
    order by score desc, c."passageId"
    limit ${limit}`);
  return rowsOf<Ranked & { score: number }>(result);
}

/** Passages most similar to `vector`, among those embedded with `model`. */
async function vectorRanking(
  db: Db,
  input: { accountId: string; model: string; vector: number[]; limit: number },
) {
  const embedded = sql`${publishedPassages(input.accountId)}
    and p.embedding_model = ${input.model}
    and array_length(p.embedding, 1) = ${input.vector.length}`;
  let query: SQL;
  if (await hasPgvector(db)) {
    const q = `[${input.vector.join(",")}]`;
    query = sql`select ${passageColumns} from ${embedded}
      order by p.embedding::vector <=> ${q}::vector, p.id limit ${input.limit}`;
  } else {
    // Exact cosine similarity over real[]: a scan of the account's passages.
    const q = `{${input.vector.join(",")}}`;
    query = sql`select ${passageColumns},
        (select sum(x * y) / nullif(sqrt(sum(x * x)) * sqrt(sum(y * y)), 0)
         from unnest(p.embedding, ${q}::real[]) as t(x, y)) as similarity
      from ${embedded}
      order by similarity desc nulls last, p.id limit ${input.limit}`;
  }
  return rowsOf<Ranked>(await db.execute(query));
}

/** Reciprocal rank fusion of several rankings, best first, one passage per article. */
function fuse(rankings: Ranked[][], limit: number): KnowledgePassage[] {
  const fused = new Map<string, KnowledgePassage>();
  for (const ranking of rankings) {
    ranking.forEach((passage, rank) => {
      const entry = fused.get(passage.passageId) ?? { ...passage, score: 0 };
      entry.score += 1 / (RRF_K + rank + 1);
      fused.set(passage.passageId, entry);
    });
  }
  const ranked = [...fused.values()].sort(
    (x, y) => y.score - x.score || x.passageId.localeCompare(y.passageId),
  );
  return bestPerArticle(ranked, limit);
}

/**
 * The best passage of each of the best articles: three passages of one article
 * would crowd out the article that answers, and sources are cited per article.
 */
function bestPerArticle<T extends { articleId: string }>(ranked: T[], limit: number): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const passage of ranked) {
    if (seen.has(passage.articleId)) continue;
    seen.add(passage.articleId);
    out.push(passage);
    if (out.length === limit) break;
  }
  return out;
}

/** The account's published passages that best answer `question`, best first. */
export async function retrieveKnowledge(
  deps: { db: Db; ai: AiProvider | null; logger?: Logger },
  input: { accountId: string; question: string; limit?: number },
): Promise<KnowledgePassage[]> {
  const limit = input.limit ?? 3;
  const pool = Math.max(limit, CANDIDATES);
  const fullText = (await fullTextRanking(deps.db, input.accountId, input.question, pool)).map(
    (r) => ({ ...r, score: Number(r.score) }),
  );
  const model = deps.ai?.embeddingModel;
  if (!deps.ai || !model) return bestPerArticle(fullText, limit);
  let semantic: Ranked[];
  try {
    const [vector] = await embedTexts(deps.ai, [input.question]);
    if (!vector) return bestPerArticle(fullText, limit);
    semantic = await vectorRanking(deps.db, {
      accountId: input.accountId,
      model,
      vector,
      limit: pool,
    });
  } catch (err) {
    deps.logger?.warn({ err }, "embedding the question failed; full-text search alone");
    return bestPerArticle(fullText, limit);
  }
  return fuse([fullText, semantic], limit);
}
