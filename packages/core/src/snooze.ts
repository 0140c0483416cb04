// Snoozing a conversation until a chosen time, and waking it then.
//
// The wake-up is a durable job written in the same transaction as the snooze,
// so a snooze never commits without its wake-up (nor the reverse), and it
// survives restarts. Each job carries the time it was scheduled for: a
// re-snooze, an agent reopening or closing, or a customer writing (which
// reopens the conversation in message-writes.ts) leaves the old job a no-op.
// A cron sweep wakes anything past its time that a job missed.
import type { Db, Tx } from "@netia/db";
import { schema } from "@netia/db";
import { and, eq, lte, sql } from "drizzle-orm";
import { conversationUpdated, findConversation } from "./conversations";
import { AppError } from "./errors";
import type { WriteDeps } from "./events";
import { enqueueSlackSync, slackJobsFor } from "./slack-sync";
import { enqueueWebhookEvents, webhookJobsFor } from "./webhook-events";

const { conversations } = schema;

export const WAKE_SNOOZED_JOB = "conversations.wake-snoozed";

export type WakeSnoozedPayload = {
  accountId: string;
  conversationId: string;
  /** The snooze this job was scheduled for (ISO time); any other snooze is not its business. */
  snoozedUntil: string;
};

/**
 * The part of the job queue a snooze needs (the runtime's `jobs` satisfies it).
 * Structural, so core does not depend on the jobs package that depends on it.
 */
export type WakeScheduler = {
  enqueue(
    runner: Db | Tx,
    name: typeof WAKE_SNOOZED_JOB,
    payload: WakeSnoozedPayload,
    options: { startAfter: Date; singletonKey: string },
  ): Promise<string | null>;
};

export async function snoozeConversation(
  deps: WriteDeps & { jobs: WakeScheduler },
  {
    accountId,
    id,
    until,
    now = new Date(),
  }: { accountId: string; id: string; until: Date; now?: Date },
) {
  if (until.getTime() <= now.getTime()) {
    throw new AppError("BAD_REQUEST", "Choose a time in the future to snooze until");
  }
  await findConversation(deps.db, accountId, id);
  // The Slack thread's header shows the status.
  const slackJobs = await slackJobsFor(deps, accountId);
  const hooks = await webhookJobsFor(deps, accountId, ["conversation.updated"]);
  const updated = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(conversations)
      .set({ status: "snoozed", snoozedUntil: until, closedAt: null })
      .where(and(eq(conversations.accountId, accountId), eq(conversations.id, id)))
      .returning();
    if (!row) throw new AppError("NOT_FOUND", "Conversation not found");
    await deps.jobs.enqueue(
      tx,
      WAKE_SNOOZED_JOB,
      { accountId, conversationId: id, snoozedUntil: until.toISOString() },
      { startAfter: until, singletonKey: id },
    );
    if (slackJobs) await enqueueSlackSync(slackJobs, tx, { accountId, conversationId: id });
    await enqueueWebhookEvents(hooks, tx, [
      { type: "conversation.updated", accountId, conversationId: id },
    ]);
    return row;
  });
  conversationUpdated(deps, accountId, id);
  return updated;
}

/**
 * Reopens the conversation if it is still snoozed until `snoozedUntil`; any
 * other state means someone or something changed it since, and the job is
 * stale. Returns whether it woke. Safe to run twice.
 */
export async function wakeSnoozedConversation(deps: WriteDeps, payload: WakeSnoozedPayload) {
  const until = new Date(payload.snoozedUntil);
  const slackJobs = await slackJobsFor(deps, payload.accountId);
  const hooks = await webhookJobsFor(deps, payload.accountId, ["conversation.updated"]);
  const woken = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(conversations)
      .set(wakeChange)
      .where(
        and(
          eq(conversations.accountId, payload.accountId),
          eq(conversations.id, payload.conversationId),
          eq(conversations.status, "snoozed"),
          eq(conversations.snoozedUntil, until),
        ),
      )
      .returning({ id: conversations.id });
    const ids = { accountId: payload.accountId, conversationId: payload.conversationId };
    if (row && slackJobs) await enqueueSlackSync(slackJobs, tx, ids);
    if (row) await enqueueWebhookEvents(hooks, tx, [{ type: "conversation.updated", ...ids }]);
    return row;
  });
  if (!woken) return false;
  conversationUpdated(deps, payload.accountId, payload.conversationId);
  return true;
}

/**
 * Wakes every conversation, of any account, whose snooze ended by `now`.
 * Returns how many. With a queue, each woken conversation's
 * `conversation.updated` webhook commits with the wake (enqueueWebhookEvents
 * keeps only the accounts that subscribe).
 */
export async function wakeOverdueConversations(deps: WriteDeps, now = new Date()) {
  const { jobs } = deps;
  const wake = async (runner: Db) => {
    const rows = await runner
      .update(conversations)
      .set(wakeChange)
      .where(and(eq(conversations.status, "snoozed"), lte(conversations.snoozedUntil, now)))
      .returning({ accountId: conversations.accountId, id: conversations.id });
    for (const c of rows) {
      await enqueueWebhookEvents(jobs, runner, [
        { type: "conversation.updated", accountId: c.accountId, conversationId: c.id },
      ]);
    }
    return rows;
  };
  const woken = jobs ? await deps.db.transaction((tx) => wake(tx)) : await wake(deps.db);
  for (const c of woken) conversationUpdated(deps, c.accountId, c.id);
  return woken.length;
}

/**
 * Back to open, and to the top of the inbox: the conversation asked for an
 * agent's attention at this time, as if the customer had written then.
 */
const wakeChange = {
  status: "open" as const,
  snoozedUntil: null,
  lastActivityAt: sql`greatest(${conversations.lastActivityAt}, ${conversations.snoozedUntil})`,
};
