// Brings a conversation's Slack thread up to date; the `slack.sync-thread` job
// runs it after every change the thread shows. One job runs per conversation
// at a time (the queue's singleton key), and it posts the messages past the
// thread's `posted_through_seq` one at a time in seq order, moving the mark
// after each: a crash, a 429 or Slack's trouble stops it at a message, and the
// next attempt resumes there, so nothing is lost or reordered. (A crash between
// Slack's answer and the mark can post that one message twice: Slack has no
// idempotency key.) Messages that came from Slack are skipped, not echoed.
//
// - notification threads (`threads` mode): a header first (customer, status,
//   assignee, priority, a Resolve/Reopen button), then every message, marked
//   customer / agent / bot / private note; the header is edited when what it
//   shows changes.
// - `alerts` mode: a top-level message per customer message, no thread.
// - support threads (a shared channel, started by the customer in Slack): the
//   team's public replies only, under the agent's name.
import { setTimeout as sleep } from "node:timers/promises";
import type { Config } from "@netia/config";
import { forgetSlackFollows, type Logger } from "@netia/core";
import { type Db, schema } from "@netia/db";
import type { WebClient } from "@slack/web-api";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { connectionClient, connectionOfAccount, markReconnectRequired } from "../connections";
import { classifySlackError, type SlackFailure, SlackRetryLater } from "../errors";
import {
  alertText,
  type HeaderState,
  headerMessage,
  headerStateKey,
  type OutboundMessage,
  supportReplyText,
  threadMessageText,
} from "./format";

const { slackThreads, slackMessages, messages, conversations, customers, users } = schema;

export type SyncThreadDeps = {
  db: Db;
  config: Config;
  logger?: Logger;
  /** Aborted when the process stops: a wait for Slack's Retry-After ends at once. */
  signal?: AbortSignal;
};

/** Retry-After waits one attempt sits through before handing the job back to the queue. */
const MAX_RATE_LIMIT_WAITS = 30;
/** A longer Retry-After is waited out by the queue's retry, not by a running job. */
const MAX_RETRY_AFTER_SECONDS = 60;
const BATCH = 100;

export type SyncOutcome =
  | { done: true; posted: number }
  | {
      done: false;
      reason: "no-connection" | "no-channel" | "no-thread" | "failed";
      posted: number;
    };

class CallFailed extends Error {
  constructor(readonly failure: SlackFailure) {
    super(failure.reason);
  }
}

type Thread = typeof slackThreads.$inferSelect;

export async function syncSlackThread(
  deps: SyncThreadDeps,
  input: { accountId: string; conversationId: string },
): Promise<SyncOutcome> {
  const { db } = deps;
  const connection = await connectionOfAccount(db, input.accountId);
  if (connection?.status !== "active") {
    return { done: false, reason: "no-connection", posted: 0 };
  }
  const conversation = await conversationView(db, input);
  if (!conversation) return { done: false, reason: "no-thread", posted: 0 };
  let thread = await threadOf(db, input);
  if (!thread) {
    // A conversation that started in a shared Slack channel lives in that
    // channel's thread, which the inbound half records; it gets no other.
    if (conversation.channel === "slack") return { done: false, reason: "no-thread", posted: 0 };
    if (!connection.channelId) return { done: false, reason: "no-channel", posted: 0 };
    await db
      .insert(slackThreads)
      .values({
        conversationId: input.conversationId,
        accountId: input.accountId,
        connectionId: connection.id,
        kind: "notification",
        channelId: connection.channelId,
      })
      .onConflictDoNothing();
    thread = await threadOf(db, input);
    if (!thread) return { done: false, reason: "no-thread", posted: 0 };
  }

  const client = connectionClient(deps.config, connection);
  const url = new URL(`/inbox/${input.conversationId}`, deps.config.appUrl).toString();
  const call = <T>(fn: () => Promise<T>) => callWithRateLimit(deps, fn);
  const alerts = thread.kind === "notification" && connection.mode === "alerts";
  let posted = 0;
  try {
    if (thread.kind === "notification" && !alerts && !thread.threadTs) {
      const header = headerMessage({ ...conversation, conversationId: input.conversationId, url });
      const result = await call(() =>
        client.chat.postMessage({
          channel: thread?.channelId as string,
          text: header.text,
          blocks: header.blocks as never,
          unfurl_links: false,
        }),
      );
      const ts = result.ts as string;
      await db
        .update(slackThreads)
        .set({ threadTs: ts, headerState: headerStateKey(conversation), updatedAt: new Date() })
        .where(eq(slackThreads.conversationId, input.conversationId));
      thread = { ...thread, threadTs: ts, headerState: headerStateKey(conversation) };
    }
    if (!alerts && !thread.threadTs) return { done: false, reason: "no-thread", posted };

    posted = await postPending(deps, client, thread, conversation.customer, url, alerts, call);

    if (thread.kind === "notification" && !alerts && thread.threadTs) {
      const key = headerStateKey(conversation);
      if (key !== thread.headerState) {
        const header = headerMessage({
          ...conversation,
          conversationId: input.conversationId,
          url,
        });
        await call(() =>
          client.chat.update({
            channel: thread?.channelId as string,
            ts: thread?.threadTs as string,
            text: header.text,
            blocks: header.blocks as never,
          }),
        );
        await db
          .update(slackThreads)
          .set({ headerState: key, updatedAt: new Date() })
          .where(eq(slackThreads.conversationId, input.conversationId));
      }
    }
    await clearFailure(db, input.conversationId);
    return { done: true, posted };
  } catch (error) {
    if (!(error instanceof CallFailed)) throw error;
    const { failure } = error;
    deps.logger?.warn(
      { conversation: input.conversationId, kind: failure.kind, reason: failure.reason },
      `conversation:${input.conversationId} slack post failed`,
    );
    await recordFailure(db, input.conversationId, failure.reason);
    if (failure.kind === "auth") {
      // Nothing can be posted until an admin connects the workspace again.
      await markReconnectRequired(db, connection.id, failure.reason);
      forgetSlackFollows(input.accountId);
      return { done: false, reason: "failed", posted };
    }
    // Retrying cannot help until someone changes something in Slack; the
    // settings page lists the thread and can send it again.
    if (failure.kind === "permanent") return { done: false, reason: "failed", posted };
    throw new SlackRetryLater(failure.reason);
  }
}

/** Calls Slack, waiting out its 429s (Retry-After) in place; any other failure is a CallFailed. */
async function callWithRateLimit<T>(deps: SyncThreadDeps, fn: () => Promise<T>): Promise<T> {
  for (let waits = 0; ; waits++) {
    try {
      return await fn();
    } catch (error) {
      const failure = classifySlackError(error);
      if (
        failure.kind !== "rate_limited" ||
        waits >= MAX_RATE_LIMIT_WAITS ||
        failure.retryAfterSeconds > MAX_RETRY_AFTER_SECONDS
      ) {
        throw new CallFailed(failure);
      }
      await sleep(failure.retryAfterSeconds * 1000, undefined, { signal: deps.signal });
    }
  }
}

type Pending = OutboundMessage & { id: string; seq: number; fromSlack: boolean };

/** Posts every message past the mark, in seq order; returns how many were posted. */
async function postPending(
  deps: SyncThreadDeps,
  client: WebClient,
  thread: Thread,
  customer: string,
  url: string,
  alerts: boolean,
  call: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<number> {
  const { db } = deps;
  let mark = thread.postedThroughSeq;
  let posted = 0;
  let firstCustomerSeq: number | null | undefined;
  for (;;) {
    const batch = await pendingMessages(db, thread, mark);
    if (batch.length === 0) return posted;
    for (const message of batch) {
      const post = await postOf(message);
      if (post) {
        const result = await call(() => client.chat.postMessage(post));
        await record(db, thread, message, result.ts as string);
        posted++;
      } else {
        await moveMark(db, thread.conversationId, message.seq);
      }
      mark = message.seq;
    }
  }

  async function postOf(message: Pending) {
    if (message.fromSlack) return null;
    const base = { channel: thread.channelId, unfurl_links: false, unfurl_media: false };
    if (thread.kind === "support") {
      const teamReply =
        message.senderType === "user" && message.type === "reply" && !message.private;
      if (!teamReply || !thread.threadTs) return null;
      return {
        ...base,
        thread_ts: thread.threadTs,
        text: supportReplyText(message, url),
        ...(message.agentName && { username: message.agentName }),
      };
    }
    if (alerts) {
      if (message.senderType !== "customer") return null;
      firstCustomerSeq ??= await firstCustomerMessageSeq(db, thread.conversationId);
      const text = alertText(
        { customer, body: message.body, url },
        message.seq === firstCustomerSeq,
      );
      return { ...base, text };
    }
    return {
      ...base,
      thread_ts: thread.threadTs as string,
      text: threadMessageText(message, customer, url),
    };
  }
}

async function pendingMessages(db: Db, thread: Thread, after: number): Promise<Pending[]> {
  const rows = await db
    .select({
      id: messages.id,
      seq: messages.seq,
      type: messages.type,
      senderType: messages.senderType,
      private: messages.private,
      body: messages.body,
      agentName: users.name,
      fromSlack: sql<boolean>`exists (select 1 from ${slackMessages} sm
        where sm.message_id = ${messages.id} and sm.direction = 'in')`,
    })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.userId))
    .where(
      and(
        eq(messages.accountId, thread.accountId),
        eq(messages.conversationId, thread.conversationId),
        gt(messages.seq, after),
      ),
    )
    .orderBy(asc(messages.seq))
    .limit(BATCH);
  return rows.map((r) => ({ ...r, seq: Number(r.seq), agentName: r.agentName ?? null }));
}

/** The posted message's ts and the mark move together. */
async function record(db: Db, thread: Thread, message: Pending, ts: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(slackMessages)
      .values({
        accountId: thread.accountId,
        channelId: thread.channelId,
        ts,
        conversationId: thread.conversationId,
        messageId: message.id,
        direction: "out",
      })
      .onConflictDoNothing();
    await moveMark(tx, thread.conversationId, message.seq);
  });
}

async function moveMark(db: Db, conversationId: string, seq: number): Promise<void> {
  await db
    .update(slackThreads)
    .set({ postedThroughSeq: sql`greatest(${slackThreads.postedThroughSeq}, ${seq})` })
    .where(eq(slackThreads.conversationId, conversationId));
}

async function firstCustomerMessageSeq(db: Db, conversationId: string): Promise<number | null> {
  const [row] = await db
    .select({ seq: sql<string | number>`min(${messages.seq})` })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.senderType, "customer")));
  return row?.seq === null || row?.seq === undefined ? null : Number(row.seq);
}

async function threadOf(
  db: Db,
  input: { accountId: string; conversationId: string },
): Promise<Thread | null> {
  const [row] = await db
    .select()
    .from(slackThreads)
    .where(
      and(
        eq(slackThreads.accountId, input.accountId),
        eq(slackThreads.conversationId, input.conversationId),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** What the header shows: the customer, the subject, and status, assignee and priority. */
async function conversationView(
  db: Db,
  input: { accountId: string; conversationId: string },
): Promise<(HeaderState & { customer: string; subject: string | null; channel: string }) | null> {
  const [row] = await db
    .select({
      status: conversations.status,
      priority: conversations.priority,
      subject: conversations.subject,
      channel: conversations.channel,
      assignee: users.name,
      customerName: customers.name,
      customerEmail: customers.email,
    })
    .from(conversations)
    .innerJoin(customers, eq(customers.id, conversations.customerId))
    .leftJoin(users, eq(users.id, conversations.assigneeId))
    .where(
      and(eq(conversations.accountId, input.accountId), eq(conversations.id, input.conversationId)),
    )
    .limit(1);
  if (!row) return null;
  const customer =
    row.customerName && row.customerEmail
      ? `${row.customerName} <${row.customerEmail}>`
      : (row.customerName ?? row.customerEmail ?? "Visitor");
  return {
    status: row.status,
    priority: row.priority,
    subject: row.subject,
    channel: row.channel,
    assignee: row.assignee ?? null,
    customer,
  };
}

async function recordFailure(db: Db, conversationId: string, reason: string): Promise<void> {
  await db
    .update(slackThreads)
    .set({ lastError: reason.slice(0, 500), failedAt: new Date() })
    .where(eq(slackThreads.conversationId, conversationId));
}

async function clearFailure(db: Db, conversationId: string): Promise<void> {
  await db
    .update(slackThreads)
    .set({ lastError: null, failedAt: null })
    .where(
      and(
        eq(slackThreads.conversationId, conversationId),
        sql`${slackThreads.failedAt} is not null`,
      ),
    );
}
