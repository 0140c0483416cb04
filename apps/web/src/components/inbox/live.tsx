"use client";

// The inbox, live: one `dashboard.events` subscription for the whole
// dashboard keeps the react-query caches current (no polling), and tracks who
// is online and who is typing. After the socket comes back, whatever was
// loaded before the drop is refetched, so nothing missed while offline stays
// missing.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { useSubscription } from "@trpc/tanstack-react-query";
import { LoaderCircle } from "lucide-react";
import {
  createContext,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from "react";
import { type Drafts, streamIdOf } from "@/components/assistant/drafts";
import { useMe } from "@/components/auth/auth-gate";
import { useAlerts } from "@/components/notifications/use-alerts";
import { connectionStatus, onConnectionChange, useConnectionStatus } from "@/lib/realtime";
import { useTRPC } from "@/lib/trpc";
import { addMessage, markSeen } from "./cache";
import {
  createLiveStore,
  type LiveState,
  type LiveStore,
  senderKey,
  type Typist,
} from "./live-store";

type Trpc = ReturnType<typeof useTRPC>;

/** Events arriving together (a burst, or the backlog after a reconnect) refresh lists once. */
const INVALIDATE_DELAY_MS = 50;
/** A subscription the server ended with an error is tried again after this long. */
const RESUBSCRIBE_MS = 5_000;

const LiveContext = createContext<LiveStore | null>(null);
const emptyStore = createLiveStore();

/** Refetches lists and conversations, coalescing bursts of events into one refetch each. */
function createInvalidator(queryClient: ReturnType<typeof useQueryClient>, trpc: Trpc) {
  let lists = false;
  const conversations = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  function flush() {
    timer = undefined;
    if (lists) {
      void queryClient.invalidateQueries({ queryKey: trpc.conversations.list.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.conversations.counts.pathKey() });
    }
    for (const id of conversations) {
      void queryClient.invalidateQueries({ queryKey: trpc.conversations.get.queryKey({ id }) });
    }
    lists = false;
    conversations.clear();
  }
  function schedule() {
    timer ??= setTimeout(flush, INVALIDATE_DELAY_MS);
  }

  return {
    lists() {
      lists = true;
      schedule();
    },
    conversation(id: string) {
      lists = true;
      conversations.add(id);
      schedule();
    },
    /** Everything the inbox shows; with `before`, only what was loaded before that time. */
    everything(before?: number) {
      const predicate =
        before === undefined
          ? undefined
          : (query: { state: { dataUpdatedAt: number } }) => query.state.dataUpdatedAt < before;
      for (const queryKey of [
        trpc.conversations.list.pathKey(),
        trpc.conversations.counts.pathKey(),
        trpc.conversations.get.pathKey(),
        trpc.messages.list.pathKey(),
      ]) {
        void queryClient.invalidateQueries({ queryKey, predicate });
      }
    },
    dispose() {
      if (timer) clearTimeout(timer);
    },
  };
}

/**
 * Subscribes to the account's live events and applies them to the caches and
 * to `store`. Mount once, for the whole dashboard.
 */
export function useDashboardEvents(store: LiveStore) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useMe();
  const myId = me.user.id;
  const invalidate = useMemo(() => createInvalidator(queryClient, trpc), [queryClient, trpc]);
  useEffect(() => () => invalidate.dispose(), [invalidate]);
  const alert = useAlerts();

  // Data loaded before the subscription (re)started may lack events sent in
  // between: it is refetched when the subscription's first event arrives.
  const start = useRef({ pending: true, at: Date.now() });
  useEffect(() => {
    let lost = connectionStatus() === "reconnecting";
    return onConnectionChange(() => {
      const status = connectionStatus();
      if (status === "reconnecting") lost = true;
      if (status === "open" && lost) {
        lost = false;
        start.current = { pending: true, at: Date.now() };
      }
    });
  }, []);

  const subscription = useSubscription(
    trpc.dashboard.events.subscriptionOptions(
      {},
      {
        onData(raw) {
          // Tracked events (messages) arrive as { id, data }.
          const event = "data" in raw && "id" in raw ? raw.data : raw;
          alert(event);
          switch (event.type) {
            case "presence.snapshot":
              store.setPresence(event.agents, event.customers);
              if (start.current.pending) {
                start.current.pending = false;
                invalidate.everything(start.current.at);
              }
              return;
            case "presence":
              store.setOnline(event.kind, event.id, event.online);
              return;
            case "typing":
              if (event.sender.type === "user" && event.sender.id === myId) return;
              store.typing(event);
              return;
            case "message.created": {
              const { message } = event;
              const senderId = message.userId ?? message.customerId;
              if (senderId) {
                store.stopTyping(
                  event.conversationId,
                  senderKey({ type: message.senderType, id: senderId }),
                );
              }
              const streamId = streamIdOf(message);
              if (message.senderType === "bot") store.stopTyping(event.conversationId, BOT_TYPIST);
              if (streamId) store.dropDraft(event.conversationId, streamId);
              addMessage(queryClient, trpc, message);
              // A message also moves its conversation (activity, read state, reopening).
              invalidate.lists();
              invalidate.conversation(event.conversationId);
              return;
            }
            case "assistant.delta":
              store.assistantDelta(event);
              return;
            case "assistant.discarded":
              store.dropDraft(event.conversationId, event.streamId);
              return;
            case "conversation.created":
              invalidate.lists();
              return;
            case "conversation.updated":
              invalidate.conversation(event.conversationId);
              return;
            case "message.seen":
              markSeen(queryClient, trpc, event);
              return;
            case "mention.created":
              // The mentions view and its count.
              invalidate.lists();
              return;
            case "resync":
              invalidate.everything();
              return;
            default:
              return;
          }
        },
        onError(error) {
          // A session that ended: the gate above the inbox sends the agent to log in.
          if (error instanceof TRPCClientError && error.data?.code === "UNAUTHORIZED") {
            void queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
          }
        },
      },
    ),
  );

  const { status, reset } = subscription;
  useEffect(() => {
    if (status !== "error") return;
    const timer = setTimeout(() => {
      start.current = { pending: true, at: Date.now() };
      reset();
    }, RESUBSCRIBE_MS);
    return () => clearTimeout(timer);
  }, [status, reset]);
}

/**
 * Runs the dashboard's live events for every page (alerts and the unread count
 * in the title work from Settings too) and shares presence and typing below.
 */
export function LiveDashboard({ children }: { children: React.ReactNode }) {
  const [store] = useState(() => createLiveStore());
  useEffect(() => () => store.dispose(), [store]);
  useDashboardEvents(store);
  return (
    <LiveContext.Provider value={store}>
      <ConnectionBanner />
      <UnreadTitle />
      {children}
    </LiveContext.Provider>
  );
}

function useLive<T>(select: (state: LiveState) => T): T {
  const store = useContext(LiveContext) ?? emptyStore;
  return useSyncExternalStore(
    store.subscribe,
    () => select(store.getState()),
    () => select(emptyStore.getState()),
  );
}

const noTypists: readonly Typist[] = [];
const noDrafts: Drafts = [];
/** How the assistant's typing is keyed (its `typing` events' sender). */
const BOT_TYPIST = senderKey({ type: "bot", id: "assistant" });

/** The assistant's replies being written in a conversation. */
export function useAssistantDrafts(conversationId: string): Drafts {
  return useLive((s) => s.drafts.get(conversationId) ?? noDrafts);
}

/** Who is typing in a conversation (never the current agent). */
export function useTyping(conversationId: string): readonly Typist[] {
  return useLive((s) => s.typing.get(conversationId) ?? noTypists);
}

export function useCustomerOnline(customerId: string): boolean {
  return useLive((s) => s.customers.has(customerId));
}

/** User ids of the agents with the dashboard open. */
export function useOnlineAgents(): ReadonlySet<string> {
  return useLive((s) => s.agents);
}

/** Shown while the live connection is down; lists may be out of date meanwhile. */
export function ConnectionBanner() {
  const status = useConnectionStatus();
  if (status !== "reconnecting") return null;
  return (
    <div
      role="status"
      data-testid="connection-status"
      className="fixed left-1/2 top-3 z-50 flex -translate-x-1/2 items-center gap-2 rounded-full border border-warning/60 bg-warning-soft px-4 py-1.5 text-sm font-medium text-warning-foreground shadow-md"
    >
      <LoaderCircle className="size-4 animate-spin" aria-hidden />
      Reconnecting…
    </div>
  );
}

const UNREAD_PREFIX = /^\(\d+\) /;

/** Puts the unread count in front of the page title: "(3) Inbox · Netia". */
function UnreadTitle() {
  const trpc = useTRPC();
  const counts = useQuery(trpc.conversations.counts.queryOptions());
  const unread = counts.data?.unread ?? 0;

  useEffect(() => {
    const apply = () => {
      const base = document.title.replace(UNREAD_PREFIX, "");
      const title = unread > 0 ? `(${unread}) ${base}` : base;
      if (document.title !== title) document.title = title;
    };
    apply();
    // Navigation rewrites the title; put the count back when it does.
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { childList: true, subtree: true, characterData: true });
    return () => {
      observer.disconnect();
      const base = document.title.replace(UNREAD_PREFIX, "");
      if (document.title !== base) document.title = base;
    };
  }, [unread]);

  return null;
}
