// The slack.handle-event job's work: one stored request (receive.ts), read
// back, dispatched and marked with what it did. Safe to run again: every
// effect is idempotent on its own (imports by their slack_messages row,
// buttons by setting a status), and a request already processed is skipped.
// Slack refusing the token marks the connection "reconnect required" and
// ends the job; anything else (rate limits, Slack or database trouble) throws
// so the job retries.
import { forgetSlackFollows } from "@netia/core";
import { type Db, schema } from "@netia/db";
import { eq } from "drizzle-orm";
import { connectionClient, markReconnectRequired } from "../connections";
import { classifySlackError } from "../errors";
import { handleBlockActions, ZBlockActions } from "./actions";
import { type Inbound, type InboundDeps, WRITTEN_SUBTYPES, ZSlackMessageEvent } from "./context";
import { isTokenRefused, slackPerson } from "./slack-users";
import { startSupportConversation, supportChannelOf } from "./support-message";
import { importThreadReply, isOutsider } from "./thread-reply";

const { slackEvents, slackConnections } = schema;

async function handleMessage(inbound: Inbound, raw: unknown): Promise<string> {
  const parsed = ZSlackMessageEvent.safeParse(raw);
  if (!parsed.success) return "ignored: not a message event";
  const event = parsed.data;
  const { connection } = inbound;
  if (!WRITTEN_SUBTYPES.has(event.subtype)) return `ignored: subtype ${event.subtype}`;
  if (!event.user || event.bot_id || event.user === connection.botUserId) {
    return "ignored: a bot's message";
  }
  const { user } = event;
  if (event.thread_ts && event.thread_ts !== event.ts) {
    if (connection.mode === "alerts") return "ignored: alerts mode";
    return importThreadReply(inbound, { ...event, thread_ts: event.thread_ts, user });
  }
  const channel = await supportChannelOf(inbound.deps.db, connection.id, event.channel);
  if (!channel) return "ignored: a top-level message outside support channels";
  const person = await slackPerson(inbound.client, user);
  if (person.isBot) return "ignored: a bot's message";
  // The team's own announcements in the shared channel are not conversations.
  if (!isOutsider(inbound, person)) return "ignored: a top-level message from the team";
  return startSupportConversation(inbound, channel, event, person);
}

async function dispatch(inbound: Inbound, row: typeof slackEvents.$inferSelect): Promise<string> {
  if (row.kind === "interaction") {
    const payload = ZBlockActions.safeParse(row.payload);
    if (!payload.success) return "ignored: not a button";
    return handleBlockActions(inbound.deps, inbound.connection.accountId, payload.data);
  }
  const event = (row.payload as { event?: { type?: unknown } }).event;
  if (event?.type !== "message") return `ignored: event ${String(event?.type)}`;
  return handleMessage(inbound, event);
}

async function finish(db: Db, id: string, outcome: string): Promise<void> {
  await db
    .update(slackEvents)
    .set({ outcome: outcome.slice(0, 500), processedAt: new Date() })
    .where(eq(slackEvents.id, id));
}

export async function handleSlackEvent(deps: InboundDeps, slackEventId: string): Promise<string> {
  const [row] = await deps.db
    .select()
    .from(slackEvents)
    .where(eq(slackEvents.id, slackEventId))
    .limit(1);
  if (!row) return "gone";
  if (row.processedAt) return row.outcome ?? "done";
  const [connection] = row.accountId
    ? await deps.db
        .select()
        .from(slackConnections)
        .where(eq(slackConnections.accountId, row.accountId))
        .limit(1)
    : [];
  // Disconnected, or reinstalled into another workspace, since Slack sent it.
  if (!connection || connection.teamId !== row.teamId) {
    await finish(deps.db, row.id, "ignored: workspace not connected");
    return "ignored";
  }
  if (connection.status !== "active") {
    await finish(deps.db, row.id, "ignored: reconnect required");
    return "ignored";
  }
  const inbound: Inbound = { deps, connection, client: connectionClient(deps.config, connection) };
  let outcome: string;
  try {
    outcome = await dispatch(inbound, row);
  } catch (error) {
    if (!isTokenRefused(error)) throw error;
    const { reason } = classifySlackError(error);
    await markReconnectRequired(deps.db, connection.id, reason);
    forgetSlackFollows(connection.accountId);
    outcome = `failed: ${reason}`;
  }
  await finish(deps.db, row.id, outcome);
  return outcome;
}
