// Storing what Slack sent, once. Slack waits 3 seconds for an answer and sends
// an event again (X-Slack-Retry-Num) when it gets none or a failure, so the
// request's route only keeps it — a slack_events row keyed by Slack's id and
// the job that handles it, in one transaction — and answers. A retry finds its
// row and adds nothing; the job does the work (handle-event.ts).
import type { Db, Tx } from "@netia/db";
import { schema } from "@netia/db";
import { connectionOfTeam } from "../connections";

const { slackEvents } = schema;

export const SLACK_HANDLE_EVENT_JOB = "slack.handle-event";

export type SlackEventPayload = { slackEventId: string };

/** Where a stored request's job goes (the runtime's queue satisfies it). */
export type SlackEventJobs = {
  enqueue(
    runner: Db | Tx,
    name: typeof SLACK_HANDLE_EVENT_JOB,
    payload: SlackEventPayload,
  ): Promise<string | null>;
};

export type SlackRequestKind = "event" | "interaction";

export type ReceivedSlackRequest = {
  kind: SlackRequestKind;
  /** event_id, or the interaction's own key (see interactionKey). */
  slackId: string;
  teamId: string | null;
  payload: Record<string, unknown>;
};

export type ReceiveOutcome =
  /** Stored with its job. */
  | "stored"
  /** Slack sent it before: nothing new. */
  | "duplicate"
  /** Stored without a job: no account has this workspace installed. */
  | "ignored";

export async function receiveSlackRequest(
  deps: { db: Db; jobs: SlackEventJobs },
  request: ReceivedSlackRequest,
): Promise<ReceiveOutcome> {
  const connection = request.teamId ? await connectionOfTeam(deps.db, request.teamId) : null;
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(slackEvents)
      .values({
        kind: request.kind,
        slackId: request.slackId,
        teamId: request.teamId,
        accountId: connection?.accountId ?? null,
        payload: request.payload,
        ...(!connection && {
          outcome: "ignored: workspace not connected",
          processedAt: new Date(),
        }),
      })
      // A retry waits here for the first delivery's transaction, then finds its row.
      .onConflictDoNothing()
      .returning({ id: slackEvents.id });
    if (!row) return "duplicate";
    if (!connection) return "ignored";
    await deps.jobs.enqueue(tx, SLACK_HANDLE_EVENT_JOB, { slackEventId: row.id });
    return "stored";
  });
}

/**
 * An interaction has no id of its own: a button click is known by when it
 * happened and who clicked (`action_ts:user`), which a retry repeats and
 * another click does not.
 */
export function interactionKey(payload: {
  user?: { id?: string };
  actions?: Array<{ action_ts?: string }>;
  trigger_id?: string;
}): string | null {
  const actionTs = payload.actions?.[0]?.action_ts;
  const user = payload.user?.id;
  if (actionTs && user) return `${actionTs}:${user}`;
  return payload.trigger_id ?? null;
}
