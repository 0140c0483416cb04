// The AI assistant: what it knows about the business, the knowledge base it
// answers from, and a row per generation (its outcome and usage).
import { sql } from "drizzle-orm";
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  real,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { accountIdColumn } from "./accounts";
import { createdAt, id, timestamps } from "./columns";
import { conversations, messages } from "./conversations";

/** A question and its answer, given to the assistant as part of the business context. */
export type Faq = { question: string; answer: string };

/** When the assistant hands a conversation to people without being asked. */
export type HandoffRules = {
  /** A customer message containing one of these (case-insensitive) hands off at once. */
  keywords: string[];
  /** Hand off once the assistant has replied this many times in one conversation (null: never). */
  afterBotReplies: number | null;
  /**
   * Outside the account's working hours, hand off and ask for the customer's
   * email so the team can answer later, instead of answering.
   */
  outsideHoursCollectEmail: boolean;
};

/** One row per account; none means the assistant was never set up (off). */
export const assistantSettings = pgTable(
  "assistant_settings",
  {
    id: id(),
    accountId: accountIdColumn(),
    /** The account-wide switch; each inbox has its own as well. */
    enabled: boolean().notNull().default(false),
    /** The name the assistant answers under in the widget. */
    botName: text().notNull().default("Assistant"),
    businessName: text(),
    description: text(),
    services: text(),
    faqs: jsonb().$type<Faq[]>().notNull().default([]),
    schedulingUrl: text(),
    instructions: text(),
    /** Overrides LLM_MODEL and LLM_TEMPERATURE for this account. */
    model: text(),
    temperature: real(),
    handoffRules: jsonb()
      .$type<HandoffRules>()
      .notNull()
      .default({ keywords: [], afterBotReplies: null, outsideHoursCollectEmail: false }),
    ...timestamps,
  },
  (t) => [uniqueIndex().on(t.accountId)],
);

/** Postgres full-text search vector (generated from title and body). */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/** An article of the account's knowledge base, written in Markdown. */
export const knowledgeArticles = pgTable(
  "knowledge_articles",
  {
    id: id(),
    accountId: accountIdColumn(),
    title: text().notNull(),
    body: text().notNull(),
    /** A public page of the article, cited to customers; none: cited by title only. */
    url: text(),
    /** Unpublished articles are kept but never used to answer. */
    published: boolean().notNull().default(true),
    ...timestamps,
  },
  (t) => [index().on(t.accountId, t.updatedAt.desc())],
);

/**
 * An article cut into passages (by heading and length), the unit searched and
 * given to the model. Rebuilt whenever its article is saved.
 */
export const knowledgePassages = pgTable(
  "knowledge_passages",
  {
    id: id(),
    accountId: accountIdColumn(),
    articleId: uuid()
      .notNull()
      .references(() => knowledgeArticles.id, { onDelete: "cascade" }),
    position: integer().notNull(),
    /** The article title and the headings above this passage, for ranking and display. */
    heading: text().notNull(),
    body: text().notNull(),
    search: tsvector()
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector('english', coalesce(heading, '')), 'A') || setweight(to_tsvector('english', body), 'B')`,
      ),
    /**
     * The provider's embedding of heading and body, when it offers embeddings;
     * compared with pgvector where the database has it (docs/assistant.md).
     */
    embedding: real().array(),
    embeddingModel: text(),
    createdAt: createdAt(),
  },
  (t) => [
    index("knowledge_passages_search_idx").using("gin", t.search),
    index().on(t.accountId),
    uniqueIndex().on(t.articleId, t.position),
  ],
);

export const assistantRunKindEnum = pgEnum("assistant_run_kind", [
  "reply",
  "suggestion",
  "summary",
  "rewrite",
]);

export const assistantOutcomeEnum = pgEnum("assistant_outcome", [
  /** The assistant answered the customer. */
  "answered",
  /** The conversation went to people (by button, request, tool call, rule or agent). */
  "handed_off",
  /** The provider kept failing: a polite fallback was posted and agents alerted. */
  "fallback",
  /** Nothing to do (an agent took over, or the message was answered already). */
  "skipped",
  /** A draft, summary or rewrite produced for an agent. */
  "drafted",
]);

/**
 * One row per generation: what triggered it, what came of it and what it cost.
 * Usage and outcome reports (and billing's AI quota) are sums over these.
 */
export const assistantRuns = pgTable(
  "assistant_runs",
  {
    id: id(),
    accountId: accountIdColumn(),
    conversationId: uuid().references(() => conversations.id, { onDelete: "cascade" }),
    kind: assistantRunKindEnum().notNull(),
    outcome: assistantOutcomeEnum().notNull(),
    /** The customer message a reply answers; unique per reply, so one message never gets two. */
    triggerMessageId: uuid().references(() => messages.id, { onDelete: "set null" }),
    replyMessageId: uuid().references(() => messages.id, { onDelete: "set null" }),
    model: text(),
    promptTokens: integer().notNull().default(0),
    completionTokens: integer().notNull().default(0),
    latencyMs: integer(),
    /** Passages given to the model and cited: [{ articleId, title, url }]. */
    sources: jsonb().$type<{ articleId: string; title: string; url: string | null }[]>(),
    /** Why it handed off, or what failed. */
    detail: text(),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.accountId, t.createdAt.desc()),
    index().on(t.conversationId, t.createdAt),
    uniqueIndex("assistant_runs_reply_trigger_idx")
      .on(t.triggerMessageId)
      .where(sql`${t.kind} = 'reply' and ${t.triggerMessageId} is not null`),
  ],
);

export type AssistantSettingsRow = typeof assistantSettings.$inferSelect;
export type KnowledgeArticleRow = typeof knowledgeArticles.$inferSelect;
export type AssistantRunRow = typeof assistantRuns.$inferSelect;
