// Who is online and who is typing where, and the assistant's replies being
// written, as the dashboard's live events tell.
// A small external store (for useSyncExternalStore): every change replaces the
// parts it touches, so selectors can compare by reference.

import { applyDelta, type Drafts, dropDraft } from "../assistant/drafts";

export type Sender = { type: "user" | "customer" | "bot"; id: string; name?: string | null };

export type Typist = {
  /** `${sender.type}:${sender.id}` */
  key: string;
  sender: Sender;
  /** Writing a private note (agents only). */
  private: boolean;
};

export type LiveState = {
  agents: ReadonlySet<string>;
  customers: ReadonlySet<string>;
  /** Conversation id -> who is typing there, oldest first. */
  typing: ReadonlyMap<string, readonly Typist[]>;
  /** Conversation id -> the assistant's replies being streamed there. */
  drafts: ReadonlyMap<string, Drafts>;
};

/** The server says 5 s; a clock far off from the server's falls back to this. */
export const TYPING_FALLBACK_MS = 5_000;
const TYPING_MAX_MS = 15_000;

export const senderKey = (sender: { type: string; id: string }) => `${sender.type}:${sender.id}`;

export type LiveStore = ReturnType<typeof createLiveStore>;

export function createLiveStore(
  options: {
    now?: () => number;
    setTimer?: (fn: () => void, ms: number) => unknown;
    clearTimer?: (timer: unknown) => void;
  } = {},
) {
  const now = options.now ?? Date.now;
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer =
    options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));

  let state: LiveState = {
    agents: new Set(),
    customers: new Set(),
    typing: new Map(),
    drafts: new Map(),
  };
  const listeners = new Set<() => void>();
  const timers = new Map<string, unknown>();

  function set(next: LiveState) {
    state = next;
    for (const listener of listeners) listener();
  }

  function removeTypist(conversationId: string, key: string) {
    const timerKey = `${conversationId}|${key}`;
    const timer = timers.get(timerKey);
    if (timer !== undefined) clearTimer(timer);
    timers.delete(timerKey);
    const current = state.typing.get(conversationId);
    if (!current?.some((t) => t.key === key)) return;
    const typing = new Map(state.typing);
    const rest = current.filter((t) => t.key !== key);
    if (rest.length > 0) typing.set(conversationId, rest);
    else typing.delete(conversationId);
    set({ ...state, typing });
  }

  function updateDrafts(conversationId: string, change: (drafts: Drafts) => Drafts) {
    const current = state.drafts.get(conversationId) ?? [];
    const next = change(current);
    if (next === current) return;
    const drafts = new Map(state.drafts);
    if (next.length > 0) drafts.set(conversationId, next);
    else drafts.delete(conversationId);
    set({ ...state, drafts });
  }

  return {
    getState: () => state,

    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    /** Replaces who is online (the first event of a subscription, and after presence expiry). */
    setPresence(agents: readonly string[], customers: readonly string[]) {
      set({ ...state, agents: new Set(agents), customers: new Set(customers) });
    },

    setOnline(kind: "agent" | "customer", id: string, online: boolean) {
      const current = kind === "agent" ? state.agents : state.customers;
      if (current.has(id) === online) return;
      const next = new Set(current);
      if (online) next.add(id);
      else next.delete(id);
      set(kind === "agent" ? { ...state, agents: next } : { ...state, customers: next });
    },

    /** Someone is typing until `expiresAt` (or until their message arrives). */
    typing(input: { conversationId: string; sender: Sender; private: boolean; expiresAt: string }) {
      const key = senderKey(input.sender);
      let ttl = Date.parse(input.expiresAt) - now();
      if (!Number.isFinite(ttl) || ttl <= 0 || ttl > TYPING_MAX_MS) ttl = TYPING_FALLBACK_MS;
      const timerKey = `${input.conversationId}|${key}`;
      const previous = timers.get(timerKey);
      if (previous !== undefined) clearTimer(previous);
      timers.set(
        timerKey,
        setTimer(() => removeTypist(input.conversationId, key), ttl),
      );

      const current = state.typing.get(input.conversationId) ?? [];
      const existing = current.find((t) => t.key === key);
      if (existing && existing.private === input.private) return;
      const typist: Typist = { key, sender: input.sender, private: input.private };
      const typing = new Map(state.typing);
      typing.set(
        input.conversationId,
        existing ? current.map((t) => (t.key === key ? typist : t)) : [...current, typist],
      );
      set({ ...state, typing });
    },

    stopTyping: removeTypist,

    /** A piece of an assistant reply being streamed (drafts.ts). */
    assistantDelta(event: {
      conversationId: string;
      streamId: string;
      index: number;
      delta: string;
    }) {
      updateDrafts(event.conversationId, (d) => applyDelta(d, event));
    },

    /** The draft is finished (its message arrived) or abandoned. */
    dropDraft(conversationId: string, streamId: string) {
      updateDrafts(conversationId, (d) => dropDraft(d, streamId));
    },

    dispose() {
      for (const timer of timers.values()) clearTimer(timer);
      timers.clear();
      listeners.clear();
    },
  };
}
