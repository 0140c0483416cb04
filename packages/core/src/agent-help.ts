// What the assistant's help for agents (a suggested reply, a summary, a
// rewrite) reads and writes in Postgres: the conversation as the model sees it,
// and the run row that reports and billing count. The generation itself lives
// in @netia/ai (help/*).
import { type Db, schema } from "@netia/db";
import { and, desc, eq } from "drizzle-orm";
import { findConversation } from "./conversations";

const { assistantRuns, customers, messages } = schema;

/** Recent messages the model reads; older ones rarely change a reply or a summary. */
export const HELP_TRANSCRIPT_MESSAGES = 40;

export type TranscriptLine = {
  /** Who wrote it: the customer, an agent (by name) or the assistant. */
  from: "customer" | "agent" | "assistant";
  name: string | null;
  body: string;
  /** A note only the team sees. */
  private: boolean;
};

/**
 * The conversation of `accountId` as help reads it, oldest first: public
 * messages and the team's notes (they matter to a summary; a suggestion leaves
 * them out). NOT_FOUND for another account's conversation.
 */
export async function helpTranscript(
  db: Db,
  input: { accountId: string; conversationId: string },
): Promise<{ customerName: string | null; lines: TranscriptLine[] }> {
  const conversation = await findConversation(db, input.accountId, input.conversationId);
  const [customer] = await db
    .select({ name: customers.name })
    .from(customers)
    .where(and(eq(customers.accountId, input.accountId), eq(customers.id, conversation.customerId)))
    .limit(1);
  const rows = await db
    .select({
      senderType: messages.senderType,
      body: messages.body,
      private: messages.private,
      type: messages.type,
    })
    .from(messages)
    .where(
      and(eq(messages.accountId, input.accountId), eq(messages.conversationId, conversation.id)),
    )
    .orderBy(desc(messages.seq))
    .limit(HELP_TRANSCRIPT_MESSAGES);
  const lines = rows.reverse().map(
    (m): TranscriptLine => ({
      from:
        m.senderType === "customer" ? "customer" : m.senderType === "bot" ? "assistant" : "agent",
      name: m.senderType === "customer" ? (customer?.name ?? null) : null,
      body: m.body,
      private: m.private || m.type === "note",
    }),
  );
  return { customerName: customer?.name ?? null, lines };
}

/** Records one piece of help produced for an agent (outcome "drafted"), with what it cost. */
export async function recordHelpRun(
  db: Db,
  input: {
    accountId: string;
    conversationId: string;
    kind: "suggestion" | "summary" | "rewrite";
    model: string;
    promptTokens: number;
    completionTokens: number;
    latencyMs: number;
    sources?: { articleId: string; title: string; url: string | null }[];
  },
): Promise<{ id: string }> {
  const [row] = await db
    .insert(assistantRuns)
    .values({ ...input, outcome: "drafted", sources: input.sources ?? null })
    .returning({ id: assistantRuns.id });
  if (!row) throw new Error("assistant run not recorded");
  return row;
}
