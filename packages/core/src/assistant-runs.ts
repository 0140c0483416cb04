// The record of each generation of the assistant: what triggered it, what came
// of it (answered, handed off, fallback, skipped) and what it cost. Usage and
// outcome reports are sums over these rows. A reply's row is unique per
// triggering customer message (a partial unique index), which is one of the
// two locks that keep a message from getting two answers; the other is the bot
// message's idempotency key.
import { type Db, schema } from "@netia/db";
import { and, eq, sql } from "drizzle-orm";

const { assistantRuns } = schema;

type AssistantRunRow = typeof assistantRuns.$inferSelect;

export type AssistantRunSource = { articleId: string; title: string; url: string | null };

export type AssistantRunInput = {
  accountId: string;
  conversationId: string;
  kind: AssistantRunRow["kind"];
  outcome: AssistantRunRow["outcome"];
  /**
   * The customer message a reply answers. Only a reply that produced
   * something (answered, handed off, fallback) claims it; a skipped run names
   * it in `detail` so the job that does answer can still claim it.
   */
  triggerMessageId?: string | null;
  replyMessageId?: string | null;
  model?: string | null;
  promptTokens?: number;
  completionTokens?: number;
  latencyMs?: number | null;
  sources?: AssistantRunSource[];
  detail?: string | null;
};

/**
 * Records a run. For a reply whose trigger already has a run, nothing is
 * written and `recorded` is false: another attempt got there first.
 */
export async function recordAssistantRun(
  db: Db,
  input: AssistantRunInput,
): Promise<{ recorded: boolean }> {
  const rows = await db
    .insert(assistantRuns)
    .values({
      accountId: input.accountId,
      conversationId: input.conversationId,
      kind: input.kind,
      outcome: input.outcome,
      triggerMessageId: input.triggerMessageId ?? null,
      replyMessageId: input.replyMessageId ?? null,
      model: input.model ?? null,
      promptTokens: input.promptTokens ?? 0,
      completionTokens: input.completionTokens ?? 0,
      latencyMs: input.latencyMs ?? null,
      sources: input.sources ?? null,
      detail: input.detail ?? null,
    })
    .onConflictDoNothing({
      target: assistantRuns.triggerMessageId,
      where: sql`${assistantRuns.kind} = 'reply' and ${assistantRuns.triggerMessageId} is not null`,
    })
    .returning({ id: assistantRuns.id });
  return { recorded: rows.length > 0 };
}

/** The reply run that claimed this customer message, if any. */
export async function findReplyRun(
  db: Db,
  input: { accountId: string; triggerMessageId: string },
): Promise<AssistantRunRow | null> {
  const [row] = await db
    .select()
    .from(assistantRuns)
    .where(
      and(
        eq(assistantRuns.accountId, input.accountId),
        eq(assistantRuns.kind, "reply"),
        eq(assistantRuns.triggerMessageId, input.triggerMessageId),
      ),
    )
    .limit(1);
  return row ?? null;
}
