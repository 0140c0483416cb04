// Finding what the knowledge base says about a question: the passages the
// model is given and cites. Full-text search here; hybrid ranking with
// embeddings belongs beside it (docs/assistant.md).
import type { Db } from "@netia/db";
import { sql } from "drizzle-orm";
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

/** The account's published passages that best answer `question`, best first. */
export async function retrieveKnowledge(
  deps: { db: Db; ai: AiProvider | null },
  input: { accountId: string; question: string; limit?: number },
): Promise<KnowledgePassage[]> {
  const limit = input.limit ?? 3;
  const result = await deps.db.execute(sql`
    select p.id as "passageId", p.article_id as "articleId", a.title, a.url, p.heading, p.body,
           ts_rank_cd(p.search, q) as score
    from knowledge_passages p
    join knowledge_articles a on a.id = p.article_id and a.published
    cross join websearch_to_tsquery('english', ${input.question}) q
    where p.account_id = ${input.accountId} and p.search @@ q
    order by score desc, p.id
    limit ${limit}`);
  return (result as unknown as { rows: KnowledgePassage[] }).rows.map((r) => ({
    ...r,
    score: Number(r.score),
  }));
}
