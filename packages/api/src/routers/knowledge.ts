// The knowledge base the assistant answers from: agents read it, admins edit
// and import it (docs/knowledge-base.md). Writes go through core, which rebuilds
// passages and enqueues their embedding in the same transaction.
import {
  createArticle,
  deleteArticle,
  getArticle,
  importMarkdownArticles,
  listArticles,
  previewPassages,
  updateArticle,
  ZArticleBody,
  ZArticleTitle,
  ZArticleUrl,
  ZMarkdownFiles,
} from "@netia/core";
import { z } from "zod";
import { isoDate, ok, withSomeChange, ZId, ZOk, ZText } from "../schemas";
import type { Context } from "../trpc";
import { adminProcedure, agentProcedure, router } from "../trpc";

const ZArticleSummary = z.object({
  id: z.string(),
  title: z.string(),
  url: z.string().nullable(),
  published: z.boolean(),
  updatedAt: isoDate,
  passages: z.number(),
  embeddedPassages: z.number(),
});

const ZArticle = ZArticleSummary.extend({ body: z.string() });

const knowledgeDeps = (ctx: Context) => ({ db: ctx.db, jobs: ctx.rt.jobs, ai: ctx.rt.ai });
const embeddingModel = (ctx: Context) => ctx.rt.ai?.embeddingModel ?? null;

export const knowledgeRouter = router({
  /** Articles, newest edit first, optionally those whose title contains `query`. */
  list: agentProcedure
    .input(z.object({ query: ZText.trim().max(200).optional() }).optional())
    .output(
      z.object({
        /** The model passages are embedded with; null: full-text search alone. */
        embeddingModel: z.string().nullable(),
        articles: z.array(ZArticleSummary),
      }),
    )
    .query(async ({ ctx, input }) => ({
      embeddingModel: embeddingModel(ctx),
      articles: await listArticles(ctx.db, {
        accountId: ctx.agent.accountId,
        query: input?.query,
        embeddingModel: embeddingModel(ctx),
      }),
    })),

  get: agentProcedure
    .input(z.object({ id: ZId }))
    .output(ZArticle)
    .query(({ ctx, input }) =>
      getArticle(ctx.db, {
        accountId: ctx.agent.accountId,
        id: input.id,
        embeddingModel: embeddingModel(ctx),
      }),
    ),

  create: adminProcedure
    .input(
      z.object({
        title: ZArticleTitle,
        body: ZArticleBody,
        url: ZArticleUrl.optional(),
        published: z.boolean().optional(),
      }),
    )
    .output(ZArticle)
    .mutation(({ ctx, input }) =>
      createArticle(knowledgeDeps(ctx), { accountId: ctx.agent.accountId, ...input }),
    ),

  update: adminProcedure
    .input(
      withSomeChange(
        z.object({
          id: ZId,
          title: ZArticleTitle.optional(),
          body: ZArticleBody.optional(),
          url: ZArticleUrl.optional(),
          published: z.boolean().optional(),
        }),
        "id",
      ),
    )
    .output(ZArticle)
    .mutation(({ ctx, input }) =>
      updateArticle(knowledgeDeps(ctx), { accountId: ctx.agent.accountId, ...input }),
    ),

  /** Published articles are used to answer; unpublished ones are kept but never used. */
  setPublished: adminProcedure
    .input(z.object({ id: ZId, published: z.boolean() }))
    .output(ZArticle)
    .mutation(({ ctx, input }) =>
      updateArticle(knowledgeDeps(ctx), { accountId: ctx.agent.accountId, ...input }),
    ),

  delete: adminProcedure
    .input(z.object({ id: ZId }))
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await deleteArticle(ctx.db, { accountId: ctx.agent.accountId, id: input.id });
      return ok;
    }),

  /** One article per Markdown file (front matter `title:`/`url:`, else the first `# heading`, else the file name). */
  importMarkdown: adminProcedure
    .input(z.object({ files: ZMarkdownFiles, published: z.boolean().optional() }))
    .output(z.array(ZArticleSummary))
    .mutation(({ ctx, input }) =>
      importMarkdownArticles(knowledgeDeps(ctx), { accountId: ctx.agent.accountId, ...input }),
    ),

  /** The passages an article would be cut into, for the editor's preview. Writes nothing. */
  previewPassages: agentProcedure
    .input(z.object({ title: ZArticleTitle, body: ZArticleBody }))
    .output(z.array(z.object({ heading: z.string(), body: z.string() })))
    .query(({ input }) => previewPassages(input)),
});
