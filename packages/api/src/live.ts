// The two live streams: a visitor's conversation (widget) and an account's
// inbox (dashboard). Both follow one recipe so a reconnecting client misses
// nothing and sees nothing twice:
//   1. subscribe to the bus (and wait until the subscription is live),
//   2. read the backlog after the client's last event id from Postgres,
//   3. then relay live events, skipping messages already sent. The visitor's
//      stream also reads from Postgres whatever a live message shows is
//      missing, so it is exactly once and in order even when publishes arrive
//      out of commit order (docs/realtime.md).
// Every event carries `tracked(id)` with the newest message seq sent so far:
// tRPC's client keeps the id of the last event it got, whatever its type, and
// sends it back when it reconnects. The visitor's stream also says who answers
// the conversation (the assistant or people) when it starts, after a resync and
// on a handoff.
import {
  type AgentSession,
  type DomainEvent,
  findConversation,
  goOnline,
  latestAccountSeq,
  listAccountMessagesSince,
  listCustomerMessages,
  presenceKeys,
  serializeMessage,
  type WidgetSession,
} from "@netia/core";
import { channels, createQueue, type Payload } from "@netia/realtime";
import type { Runtime } from "@netia/runtime";
import { tracked } from "@trpc/server";
import { asTRPCError } from "./trpc";

/** Backlog rows read per query on resume; more are read until the backlog is drained. */
const BACKLOG_PAGE = 200;
/** How long after a backlog read its messages may still arrive live (queued, or slow to publish). */
const BACKLOG_OVERLAP_MS = 60_000;
/** Message ids an account stream remembers, to skip what a backlog read would repeat. */
const SENT_IDS_KEPT = 2_000;

/**
 * The last `size` ids sent, oldest overwritten first. A ring of slots rather
 * than a Set trimmed on every message: a Set that deletes its oldest entry per
 * message rehashes its table again and again, and those tables, kept for
 * seconds, were most of what a message left for the full GC to collect.
 */
class RecentIds {
  private readonly ids: (string | undefined)[];
  private next = 0;
  constructor(size: number) {
    this.ids = new Array(size);
  }
  add(id: string): void {
    this.ids[this.next] = id;
    this.next = (this.next + 1) % this.ids.length;
  }
  /** A snapshot to check a backlog page against (backlog reads are rare). */
  toSet(): Set<string> {
    return new Set(this.ids.filter((id): id is string => id !== undefined));
  }
}

type Resync = { type: "resync" };
type Presence = { type: "presence.snapshot"; agents: string[]; customers: string[] };
type Availability = { type: "availability"; agentsOnline: boolean };
export type LiveEvent = DomainEvent | Resync | Presence;

const parseSeq = (id: string | null | undefined) => {
  const n = Number(id);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
};

/** Listens to `channelNames`, queues their events plus resync markers. */
async function listen(rt: Runtime, channelNames: string[], signal: AbortSignal | undefined) {
  const queue = createQueue<Payload>(signal);
  const push = (p: Payload) => queue.push(p);
  const offResync = rt.bus.onResync(() => queue.push({ type: "resync" }));
  const unsubscribes = await Promise.all(channelNames.map((c) => rt.bus.subscribe(c, push)));
  return {
    queue,
    stop() {
      offResync();
      for (const u of unsubscribes) u();
      queue.close();
    },
  };
}

/**
 * A visitor's conversation, exactly once and in seq order (docs/realtime.md):
 * a live message is delivered at once only when it directly follows the last
 * one delivered (its `previousSeq` says so); any other live message means one
 * is missing or late, and what is missing is read from Postgres first. Every
 * message with a lower seq in the conversation committed before it (the row
 * lock orders them), so that read finds them all.
 */
export async function* widgetEvents(
  rt: Runtime,
  widget: WidgetSession,
  input: { conversationId: string; lastEventId?: string | null },
  signal: AbortSignal | undefined,
) {
  const { accountId, customerId } = widget;
  // Not the visitor's conversation (or no longer there): NOT_FOUND, not a 500.
  const rethrow = (error: unknown): never => {
    throw asTRPCError(error);
  };
  // Checks the conversation is the visitor's before anything is subscribed.
  await findConversation(rt.db, accountId, input.conversationId, widget).catch(rethrow);
  /** Who answers the conversation now (read after subscribing, so no handoff slips between). */
  const answeredBy = async (): Promise<DomainEvent> => {
    const conversation = await findConversation(
      rt.db,
      accountId,
      input.conversationId,
      widget,
    ).catch(rethrow);
    return {
      type: "conversation.updated",
      accountId,
      conversationId: conversation.id,
      answeredBy: conversation.answeredBy,
    };
  };

  const live = await listen(
    rt,
    [channels.conversation(accountId, input.conversationId), channels.availability(accountId)],
    signal,
  );
  const offline = await goOnline(rt, { accountId, kind: "customer", id: customerId });
  const unwatch = rt.presence.watch(presenceKeys.agents(accountId), (agents) =>
    live.queue.push({ type: "availability", accountId, agentsOnline: agents.length > 0 }),
  );
  /** Seq of the last message delivered (or the client's resume point). */
  let lastSeq = parseSeq(input.lastEventId);
  /** Delivers what Postgres has after lastSeq: on start, after a resync, and to fill a gap. */
  async function* catchUp() {
    for (;;) {
      const { items, hasMore } = await listCustomerMessages(rt.db, widget, {
        conversationId: input.conversationId,
        afterSeq: lastSeq,
        limit: BACKLOG_PAGE,
      }).catch(rethrow);
      for (const m of items) {
        lastSeq = m.seq;
        yield tracked(String(m.seq), {
          type: "message.created",
          accountId,
          conversationId: m.conversationId,
          message: serializeMessage(m),
        } as DomainEvent);
      }
      if (!hasMore) return;
    }
  }
  try {
    const agents = await rt.presence.list(presenceKeys.agents(accountId));
    yield tracked(String(lastSeq), {
      type: "availability",
      agentsOnline: agents.length > 0,
    } satisfies Availability);
    yield tracked(String(lastSeq), await answeredBy());
    yield* catchUp();
    for (;;) {
      const event = (await live.queue.next()) as LiveEvent | Availability | undefined;
      if (!event) return;
      if (event.type === "resync") {
        yield tracked(String(lastSeq), await answeredBy());
        yield* catchUp();
      } else if (event.type === "message.created") {
        const { seq } = event.message;
        // Delivered already (by a catch-up read, or a repeat announced again).
        if (seq <= lastSeq) continue;
        if (event.previousSeq !== undefined && (event.previousSeq ?? 0) === lastSeq) {
          lastSeq = seq;
          yield tracked(String(seq), event);
        } else {
          // Something between lastSeq and this message has not arrived (yet).
          yield* catchUp();
        }
      } else if (event.type === "typing") {
        // A visitor does not need to see their own typing.
        if (event.sender.type === "customer") continue;
        yield tracked(String(lastSeq), event);
      } else if (
        event.type === "message.seen" ||
        event.type === "conversation.read" ||
        event.type === "availability" ||
        event.type === "assistant.delta" ||
        event.type === "assistant.discarded"
      ) {
        yield tracked(String(lastSeq), event);
      } else if (event.type === "conversation.updated" && event.answeredBy) {
        // A handoff: only who answers now, whatever else the event carries.
        const { type, conversationId, answeredBy } = event;
        yield tracked(String(lastSeq), { type, accountId, conversationId, answeredBy });
      }
    }
  } finally {
    unwatch();
    live.stop();
    await offline().catch(() => {});
  }
}

/**
 * The account's stream is at-least-once: a resume may repeat messages that
 * committed late (see LATE_COMMIT_WINDOW); clients dedupe by message id.
 */
export async function* dashboardEvents(
  rt: Runtime,
  agent: AgentSession,
  input: { lastEventId?: string | null },
  signal: AbortSignal | undefined,
) {
  const { accountId } = agent;
  const live = await listen(rt, [channels.account(accountId)], signal);
  // A service listening with an API key does not make its key's owner look online.
  const offline = agent.apiKey
    ? async () => {}
    : await goOnline(rt, { accountId, kind: "agent", id: agent.userId });
  const snapshot = async (): Promise<Presence> => ({
    type: "presence.snapshot",
    agents: await rt.presence.list(presenceKeys.agents(accountId)),
    customers: await rt.presence.list(presenceKeys.customers(accountId)),
  });
  // Expired entries (a node that died) surface through the watchers.
  const pushSnapshot = () => live.queue.push({ type: "presence.refresh" });
  const unwatchAgents = rt.presence.watch(presenceKeys.agents(accountId), pushSnapshot);
  const unwatchCustomers = rt.presence.watch(presenceKeys.customers(accountId), pushSnapshot);
  // Without a last event id there is no backlog: the client loads lists itself,
  // and the stream starts at the account's newest message.
  let lastSeq = input.lastEventId
    ? parseSeq(input.lastEventId)
    : await latestAccountSeq(rt.db, { accountId });
  let readBacklog = !!input.lastEventId;
  // Recently sent ids (enough to cover the late-commit window), and the ids the
  // last backlog read sent: live events for those may still be queued behind it.
  const recent = new RecentIds(SENT_IDS_KEPT);
  let fromBacklog = new Set<string>();
  let backlogReadAt = 0;
  try {
    yield tracked(String(lastSeq), await snapshot());
    for (;;) {
      if (readBacklog) {
        // The first page also looks back for late commits (see LATE_COMMIT_WINDOW).
        let lookBack = true;
        const alreadySent = recent.toSet();
        fromBacklog = new Set();
        for (;;) {
          const rows = await listAccountMessagesSince(rt.db, {
            accountId,
            afterSeq: lastSeq,
            limit: BACKLOG_PAGE,
            lookBack,
          });
          lookBack = false;
          for (const m of rows) {
            if (alreadySent.has(m.id) || fromBacklog.has(m.id)) continue;
            recent.add(m.id);
            fromBacklog.add(m.id);
            lastSeq = Math.max(lastSeq, m.seq);
            yield tracked(String(lastSeq), {
              type: "message.created",
              accountId,
              conversationId: m.conversationId,
              message: serializeMessage(m),
            } as DomainEvent);
          }
          if (rows.length < BACKLOG_PAGE) break;
        }
        backlogReadAt = Date.now();
      }
      let resync = false;
      while (!resync) {
        const event = (await live.queue.next()) as
          | LiveEvent
          | { type: "presence.refresh" }
          | undefined;
        if (!event) return;
        if (event.type === "resync") {
          resync = true;
          readBacklog = true;
          // Conversations may have changed unseen: tell the client to reload its lists.
          yield tracked(String(lastSeq), event);
        } else if (event.type === "presence.refresh") {
          yield tracked(String(lastSeq), await snapshot());
        } else if (event.type === "message.created") {
          // Across conversations messages commit out of seq order: dedupe by id,
          // never by comparing seqs, or a late commit would be dropped. The bus
          // delivers each event once, so only a backlog read can repeat one.
          if (fromBacklog.has(event.message.id)) continue;
          // Long after the read, no repeat can still be on its way: let the ids go.
          if (fromBacklog.size > 0 && Date.now() - backlogReadAt > BACKLOG_OVERLAP_MS) {
            fromBacklog = new Set();
          }
          recent.add(event.message.id);
          lastSeq = Math.max(lastSeq, event.message.seq);
          yield tracked(String(lastSeq), event);
        } else {
          yield tracked(String(lastSeq), event);
        }
      }
    }
  } finally {
    unwatchAgents();
    unwatchCustomers();
    live.stop();
    await offline().catch(() => {});
  }
}
