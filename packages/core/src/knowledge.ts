// The account's knowledge base: Markdown articles the assistant answers from.
// Saving an article rebuilds its passages (the unit searched and cited) in the
// same transaction, and — when the server has an embedding model — enqueues
// the job that embeds them in that transaction too, so passages never exist
// without their embedding on the way. Every query filters by accountId.
import { type Db, schema, type Tx } from "@netia/db";
import { and, desc, eq, ilike, inArray, isNull, ne, or, sql } from "drizzle-orm";
import { z } from "zod";
import { likePattern } from "./customers";
import { AppError, notFound } from "./errors";
import { ZText, ZUrl } from "./input";
import { parseMarkdownArticle, splitIntoPassages } from "./knowledge-markdown";

const { knowledgeArticles, knowledgePassages } = schema;

export const ZArticleTitle = ZText.trim().min(1, "cannot be empty").max(200);
/** 100,000 characters is a long help-center article many times over. */
export const ZArticleBody = ZText.max(100_000);
/** The article's public page, cited to customers as a link: http(s) only. */
export const ZArticleUrl = ZUrl.max(2000)
  .refine((url) => /^https?:\/\//i.test(url), "must be an http(s) URL")
  .nullable();

/**
 * One import: at most 20 files of at most 100,000 characters each, 900,000
 * in all (an API request carries at most 1 MB).
 */
export const ZMarkdownFiles = z
  .array(z.object({ name: ZText.trim().min(1).max(255), text: ZText.max(100_000) }))
  .min(1, "names no file")
  .max(20, "can import at most 20 files at once")
  .refine(
    (files) => files.reduce((sum, f) => sum + f.text.length, 0) <= 900_000,
    "are larger than 900,000 characters together: import them in several goes",
  );

/** The job that embeds an article's passages, as core needs to see the queue. */
export type KnowledgeJobs = {
  enqueue(
    runner: Tx,
    name: "ai.embed-article",
    payload: { accountId: string; articleId: string },
  ): Promise<unknown>;
};

/** What a write to the knowledge base needs: the database, the queue, and whether the server embeds. */
export type KnowledgeDeps = {
  db: Db;
  jobs: KnowledgeJobs;
  /** The AI provider's embedding model, if any (null: full-text search alone). */
  ai: { embeddingModel: string | null } | null;
};

export type ArticleSummary = {
  id: string;
  title: string;
  url: string | null;
  published: boolean;
  updatedAt: Date;
  passages: number;
  /** Passages embedded with the server's current embedding model. */
  embeddedPassages: number;
};

export type Article = ArticleSummary & { body: string };

// Written out: drizzle drops the table name of a column in a one-table select,
// and a bare "id" in these subqueries would mean the passage's.
const passageCounts = (embeddingModel: string | null) => ({
  passages: sql<number>`(select count(*)::int from knowledge_passages p where p.article_id = knowledge_articles.id)`,
  embeddedPassages: sql<number>`(select count(*)::int from knowledge_passages p where p.article_id = knowledge_articles.id and p.embedding is not null and p.embedding_model = ${embeddingModel})`,
});

const summaryColumns = (embeddingModel: string | null) => ({
  id: knowledgeArticles.id,
  title: knowledgeArticles.title,
  url: knowledgeArticles.url,
  published: knowledgeArticles.published,
  updatedAt: knowledgeArticles.updatedAt,
  ...passageCounts(embeddingModel),
});

/** The account's articles, most recently edited first; `query` matches titles. */
export async function listArticles(
  db: Db,
  input: { accountId: string; query?: string; embeddingModel: string | null; limit?: number },
): Promise<ArticleSummary[]> {
  const filters = [eq(knowledgeArticles.accountId, input.accountId)];
  if (input.query?.trim())
    filters.push(ilike(knowledgeArticles.title, likePattern(input.query.trim())));
  return db
    .select(summaryColumns(input.embeddingModel))
    .from(knowledgeArticles)
    .where(and(...filters))
    .orderBy(desc(knowledgeArticles.updatedAt), desc(knowledgeArticles.id))
    .limit(input.limit ?? 500);
}

export async function getArticle(
  db: Db,
  input: { accountId: string; id: string; embeddingModel: string | null },
): Promise<Article> {
  const [article] = await db
    .select({ ...summaryColumns(input.embeddingModel), body: knowledgeArticles.body })
    .from(knowledgeArticles)
    .where(
      and(eq(knowledgeArticles.accountId, input.accountId), eq(knowledgeArticles.id, input.id)),
    )
    .limit(1);
  if (!article) throw notFound("Article");
  return article;
}

/**
 * Replaces the article's passages with those of its current text and, when the
 * server embeds, enqueues their embedding: all in the caller's transaction.
 */
async function rebuildPassages(
  tx: Tx,
  deps: KnowledgeDeps,
  article: { accountId: string; id: string; title: string; body: string },
) {
  await tx
    .delete(knowledgePassages)
    .where(
      and(
        eq(knowledgePassages.accountId, article.accountId),
        eq(knowledgePassages.articleId, article.id),
      ),
    );
  const drafts = splitIntoPassages(article.title, article.body);
  await tx.insert(knowledgePassages).values(
    drafts.map((draft, position) => ({
      accountId: article.accountId,
      articleId: article.id,
      position,
      heading: draft.heading,
      body: draft.body,
    })),
  );
  if (deps.ai?.embeddingModel) {
    await deps.jobs.enqueue(tx, "ai.embed-article", {
      accountId: article.accountId,
      articleId: article.id,
    });
  }
}

async function insertArticle(
  tx: Tx,
  deps: KnowledgeDeps,
  input: { accountId: string; title: string; body: string; url: string | null; published: boolean },
) {
  const [row] = await tx.insert(knowledgeArticles).values(input).returning();
  if (!row) throw new Error("article insert returned nothing");
  await rebuildPassages(tx, deps, row);
  return row.id;
}

export async function createArticle(
  deps: KnowledgeDeps,
  input: {
    accountId: string;
    title: string;
    body: string;
    url?: string | null;
    published?: boolean;
  },
): Promise<Article> {
  const id = await deps.db.transaction((tx) =>
    insertArticle(tx, deps, {
      accountId: input.accountId,
      title: input.title,
      body: input.body,
      url: input.url ?? null,
      published: input.published ?? true,
    }),
  );
  return getArticle(deps.db, {
    accountId: input.accountId,
    id,
    embeddingModel: embeddingModelOf(deps),
  });
}

/** Changes an article; a new title or body rebuilds its passages (and their embeddings). */
export async function updateArticle(
  deps: KnowledgeDeps,
  input: {
    accountId: string;
    id: string;
    title?: string;
    body?: string;
    url?: string | null;
    published?: boolean;
  },
): Promise<Article> {
  const { accountId, id, ...changes } = input;
  await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(knowledgeArticles)
      .set(changes)
      .where(and(eq(knowledgeArticles.accountId, accountId), eq(knowledgeArticles.id, id)))
      .returning();
    if (!row) throw notFound("Article");
    if (changes.title !== undefined || changes.body !== undefined) {
      await rebuildPassages(tx, deps, row);
    }
  });
  return getArticle(deps.db, { accountId, id, embeddingModel: embeddingModelOf(deps) });
}

export async function deleteArticle(db: Db, input: { accountId: string; id: string }) {
  const deleted = await db
    .delete(knowledgeArticles)
    .where(
      and(eq(knowledgeArticles.accountId, input.accountId), eq(knowledgeArticles.id, input.id)),
    )
    .returning({ id: knowledgeArticles.id });
  if (deleted.length === 0) throw notFound("Article");
}

/**
 * Creates one article per Markdown file (see parseMarkdownArticle), all or
 * none: a file with an invalid `url:` refuses the whole import, naming it.
 */
export async function importMarkdownArticles(
  deps: KnowledgeDeps,
  input: { accountId: string; files: { name: string; text: string }[]; published?: boolean },
): Promise<ArticleSummary[]> {
  const articles = input.files.map((file) => {
    const parsed = parseMarkdownArticle(file.name, file.text);
    const title = ZArticleTitle.safeParse(parsed.title);
    const url = ZArticleUrl.safeParse(parsed.url);
    if (!title.success) throw new AppError("BAD_REQUEST", `${file.name}: the title is too long`);
    if (!url.success)
      throw new AppError("BAD_REQUEST", `${file.name}: url is not a valid http(s) URL`);
    return { title: title.data, body: parsed.body, url: url.data };
  });
  const ids = await deps.db.transaction(async (tx) => {
    const created: string[] = [];
    for (const article of articles) {
      created.push(
        await insertArticle(tx, deps, {
          accountId: input.accountId,
          ...article,
          published: input.published ?? true,
        }),
      );
    }
    return created;
  });
  const rows = await deps.db
    .select(summaryColumns(embeddingModelOf(deps)))
    .from(knowledgeArticles)
    .where(
      and(eq(knowledgeArticles.accountId, input.accountId), inArray(knowledgeArticles.id, ids)),
    );
  return ids.map((id) => rows.find((r) => r.id === id)).filter((r) => r !== undefined);
}

/** What the assistant would search for an article not yet saved (the editor's preview). */
export function previewPassages(input: { title: string; body: string }) {
  return splitIntoPassages(input.title, input.body);
}

const embeddingModelOf = (deps: KnowledgeDeps) => deps.ai?.embeddingModel ?? null;

/** The article's passages not yet embedded with `model`, with the text to embed. */
export async function passagesToEmbed(
  db: Db,
  input: { accountId: string; articleId: string; model: string },
): Promise<{ id: string; text: string }[]> {
  const rows = await db
    .select({
      id: knowledgePassages.id,
      heading: knowledgePassages.heading,
      body: knowledgePassages.body,
    })
    .from(knowledgePassages)
    .where(
      and(
        eq(knowledgePassages.accountId, input.accountId),
        eq(knowledgePassages.articleId, input.articleId),
        or(isNull(knowledgePassages.embedding), ne(knowledgePassages.embeddingModel, input.model)),
      ),
    )
    .orderBy(knowledgePassages.position);
  return rows.map((r) => ({ id: r.id, text: passageText(r) }));
}

/** The text a passage is embedded from (and a question compared with): its headings, then its body. */
export const passageText = (passage: { heading: string; body: string }) =>
  passage.body ? `${passage.heading}\n\n${passage.body}` : passage.heading;

/**
 * Stores embeddings of passages. A passage deleted meanwhile (its article was
 * saved again) is simply not there to update: the newer job embeds its successor.
 */
export async function storePassageEmbeddings(
  db: Db,
  input: { accountId: string; model: string; embeddings: { id: string; embedding: number[] }[] },
): Promise<number> {
  let stored = 0;
  await db.transaction(async (tx) => {
    for (const { id, embedding } of input.embeddings) {
      const updated = await tx
        .update(knowledgePassages)
        .set({ embedding, embeddingModel: input.model })
        .where(and(eq(knowledgePassages.accountId, input.accountId), eq(knowledgePassages.id, id)))
        .returning({ id: knowledgePassages.id });
      stored += updated.length;
    }
  });
  return stored;
}
