// The widget's state and behaviour, independent of any UI library: the
// visitor's identity and session, their conversations and messages, the
// outbox of messages not yet acknowledged (kept in storage, sent in order once
// connected, deduplicated by the server through their clientMessageId), live
// events, unread and seen state. The UI renders `state` and calls methods.
import { type AssistantDraft, AssistantDrafts, streamIdsOf } from "./assistant-draft";
import { browserContext } from "./browser-context";
import { plainText } from "./markdown";
import {
  type ChatWidgetOptions,
  externalIdOf,
  type NetiaApi,
  type NetiaAttachment,
  type NetiaCustomer,
  type NetiaInboxSettings,
  type NetiaMessage,
  type NetiaStrings,
  offsetOf,
  type ResolvedSettings,
  resolveStrings,
} from "./options";
import { resolveSettings } from "./settings";
import { memoryStorage, randomId, type Storage, storageFor } from "./storage";
import {
  type ConnectionState,
  type ConversationSummary,
  errorCode,
  errorMessage,
  Transport,
  type WidgetConfig,
} from "./transport";

export type { AssistantDraft, ConnectionState, ConversationSummary, WidgetConfig };

type AnsweredBy = "assistant" | "people";

type Session = {
  token: string;
  customerId: string;
  inboxId: string;
  verified: boolean;
  /** Which identity the session was made for (see identityKey). */
  key: string;
  at: number;
};

export type OutboxItem = {
  clientMessageId: string;
  body: string;
  /** The conversation, or null for the first messages of a new one (see `draft`). */
  conversationId: string | null;
  /** Groups the messages of one new conversation until the server names it. */
  draft: string | null;
  createdAt: string;
  attachments?: NetiaAttachment[];
  /** Why the server refused it (it stays until retried or discarded). */
  failed?: string;
};

type Outbox = { items: OutboxItem[]; drafts: Record<string, string> };

export type WidgetState = {
  phase: "starting" | "ready" | "error";
  error: string | null;
  open: boolean;
  view: "chat" | "list";
  settings: ResolvedSettings;
  strings: NetiaStrings;
  companyName: string;
  connection: ConnectionState;
  conversations: ConversationSummary[];
  conversationsLoaded: boolean;
  /** The conversation shown, or null for a new one (`draft`). */
  activeId: string | null;
  draft: string;
  messages: NetiaMessage[];
  loadingMessages: boolean;
  outbox: OutboxItem[];
  /** Who is typing; `bot`: the AI assistant (shown apart from people). */
  typing: { name: string | null; until: number; bot: boolean } | null;
  /** The AI assistant, when it answers in this inbox (from the server's config). */
  assistant: { name: string } | null;
  /** Who answers the shown conversation (null: not known yet, or a new one). */
  answeredBy: AnsweredBy | null;
  /** The assistant's replies being written in the shown conversation. */
  drafts: AssistantDraft[];
  /** The visitor asked for a person here: a line after the message with this seq says so. */
  handoff: { conversationId: string; afterSeq: number } | null;
  agentsOnline: boolean | null;
  /** The account's away message, sent by the server only outside working hours. */
  outsideHoursMessage: string | null;
  email: string | null;
  /** The greeting pops up next to the launcher. */
  popup: boolean;
  /** Unseen agent and bot messages of the shown conversation. */
  unread: NetiaMessage[];
  /** A passing problem to show (e.g. an attachment refused). */
  notice: string | null;
  /** How often the visitor (or the page) opened the chat: focus moves in only then. */
  opened: number;
};

const SESSION_MAX_AGE_MS = 12 * 60 * 60 * 1000;
const TYPING_EVERY_MS = 2_000;
const POPUP_AGAIN_AFTER_MS = 12 * 60 * 60 * 1000;
const MAX_MESSAGE_PAGES = 20;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type LiveEvent =
  | { type: "message.created"; message: NetiaMessage }
  | { type: "typing"; sender: { type: string; name?: string | null }; expiresAt: string }
  | { type: "message.seen"; upToSeq: number; seenAt: string }
  | { type: "availability"; agentsOnline: boolean }
  | { type: "assistant.delta"; streamId: string; index: number; delta: string }
  | { type: "assistant.discarded"; streamId: string }
  | { type: "conversation.updated"; answeredBy?: AnsweredBy };

const bySeq = (a: NetiaMessage, b: NetiaMessage) => a.seq - b.seq;
const fromAgent = (m: NetiaMessage) => m.senderType !== "customer";

export function isQuickReplies(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.length <= 10 &&
    value.every((v) => typeof v === "string" && v.trim() !== "" && v.length <= 200)
  );
}

export type ControllerInit = {
  /** Settings the script-tag loader already fetched. */
  config?: WidgetConfig;
  /** The loader has already called onChatLoaded. */
  loadedNotified?: boolean;
  open?: boolean;
};

export class WidgetController implements NetiaApi {
  state: WidgetState;
  private options: Partial<ChatWidgetOptions>;
  private readonly listeners = new Set<() => void>();
  private readonly storage: Storage;
  private readonly transport: Transport;
  /** The Netia server, without a trailing slash. */
  readonly baseUrl: string;
  private readonly accountToken: string;
  private readonly inboxId: string | undefined;
  private serverSettings: NetiaInboxSettings | undefined;
  private session: Session | null;
  private sessionPromise: Promise<Session> | null = null;
  private subscription: { unsubscribe(): void } | null = null;
  private subscribedTo: string | null = null;
  /**
   * Where the active conversation's stream resumes: the newest seq it (or the
   * full load before it) delivered. Never the seq of a message this visitor
   * just sent: an agent's message with a lower seq may still be on its way.
   */
  private cursor = 0;
  private drafts: Record<string, string>;
  private flushing = false;
  private lastTypingAt = 0;
  private override: { customer?: NetiaCustomer; identityHash?: string } | null = null;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly cleanups: (() => void)[] = [];
  private loadedNotified: boolean;
  private destroyed = false;
  private seenInFlight = 0;
  /** The live socket's state ("online" while there is none to worry about). */
  private socketState: ConnectionState = "online";
  /** The last HTTP call got no answer. */
  private httpDown = false;
  private retryMs = 0;
  /** Conversations still to load (the first try had no network). */
  private wantConversations = false;
  /** A preview (options.preview): sample messages, no server, nothing stored. */
  readonly preview: boolean;
  private readonly assistantDrafts = new AssistantDrafts({
    onChange: (drafts) => this.set({ drafts }),
    later: (fn, ms) => this.later(fn, ms),
  });

  constructor(options: Partial<ChatWidgetOptions>, init: ControllerInit = {}) {
    this.options = options;
    this.accountToken = options.token ?? "";
    this.inboxId = options.inbox || undefined;
    this.baseUrl = (options.baseUrl || window.location.origin).replace(/\/+$/, "");
    this.preview = !!options.preview;
    this.storage = this.preview
      ? memoryStorage()
      : storageFor(`${this.accountToken}${this.inboxId ? `:${this.inboxId}` : ""}`);
    this.loadedNotified = !!init.loadedNotified;
    const cached = init.config ?? this.storage.get<WidgetConfig>("config");
    this.serverSettings = cached?.settings;
    this.session = this.storage.get<Session>("session") ?? null;
    const outbox = this.storage.get<Outbox>("outbox") ?? { items: [], drafts: {} };
    this.drafts = outbox.drafts ?? {};
    const persistedOpen = options.persistOpenState ? this.storage.get<boolean>("open") : undefined;
    const items: OutboxItem[] = Array.isArray(outbox.items) ? outbox.items : [];
    // A new conversation typed offline before a reload: show it again.
    const unsentDraft = items.find((o) => o.draft && !o.conversationId && !this.drafts[o.draft]);
    this.state = {
      phase: "starting",
      error: null,
      open: init.open ?? persistedOpen ?? !!options.defaultIsOpen,
      view: "chat",
      settings: resolveSettings(options, this.serverSettings),
      strings: resolveStrings(options),
      companyName: cached?.companyName ?? "",
      connection: "online",
      conversations: [],
      conversationsLoaded: false,
      // The conversation shown last, until the server lists them (offline, its queue shows).
      activeId: this.session && !unsentDraft ? (this.storage.get<string>("active") ?? null) : null,
      draft: unsentDraft?.draft ?? randomId(),
      messages: [],
      loadingMessages: false,
      outbox: items,
      typing: null,
      assistant: assistantOf(cached),
      answeredBy: null,
      drafts: [],
      handoff: null,
      agentsOnline: null,
      outsideHoursMessage: cached?.awayMessage ?? null,
      email: options.customer?.email ?? this.storage.get<string>("email") ?? null,
      popup: false,
      unread: [],
      notice: null,
      opened: 0,
    };
    this.transport = new Transport(this.baseUrl, (socket) => {
      this.socketState = socket;
      this.updateConnection();
      if (socket === "online") void this.flush();
    });
    if (init.config) this.applyConfig(init.config);
    if (this.preview) this.set({ phase: "ready", open: true, ...this.sample() });
  }

  /** What a preview shows: a short conversation (or none yet), agents online or away. */
  private sample(): Partial<WidgetState> {
    const p = this.options.preview;
    const { agentsOnline = true, conversation = true } = typeof p === "object" ? p : {};
    const at = new Date().toISOString();
    const message = (seq: number, senderType: "customer" | "user", body: string): NetiaMessage => ({
      id: `preview-${seq}`,
      seq,
      conversationId: "preview",
      type: "reply",
      senderType,
      body,
      createdAt: at,
      seenAt: at,
      metadata: {},
    });
    return {
      agentsOnline,
      conversationsLoaded: true,
      activeId: conversation ? "preview" : null,
      messages: conversation
        ? [
            message(1, "customer", "Hi! Can I change my plan later?"),
            message(2, "user", "Of course! You can switch plans at any time from **Settings**."),
          ]
        : [],
      unread: [],
      view: "chat",
    };
  }

  // ---------------------------------------------------------------- store

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<WidgetState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  private later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.destroyed) fn();
    }, ms);
    this.timers.add(timer);
  }

  /** Where and how the launcher and panel sit on the page. */
  get layout(): { x: number; y: number; z: number; hideToggleButton: boolean } {
    const z = this.options.zIndex;
    return {
      ...offsetOf(this.options),
      z: typeof z === "number" && Number.isFinite(z) ? z : 2147483000,
      hideToggleButton: !!this.options.hideToggleButton,
    };
  }

  private updateConnection(): void {
    const connection: ConnectionState =
      this.httpDown || this.socketState === "offline" ? "offline" : this.socketState;
    if (connection !== this.state.connection) this.set({ connection });
  }

  /** Notes whether an HTTP call got an answer (any answer, even an error). */
  private reached(error?: unknown): void {
    const down = error !== undefined && errorCode(error) === undefined;
    if (down === this.httpDown) return;
    this.httpDown = down;
    this.updateConnection();
    if (!down && this.wantConversations) void this.loadConversations().catch(this.ignore);
  }

  private get client() {
    return this.transport.client;
  }

  // ---------------------------------------------------------------- lifecycle

  async start(): Promise<void> {
    if (this.preview) return;
    const onVisible = () => this.markSeenIfVisible();
    document.addEventListener("visibilitychange", onVisible);
    this.cleanups.push(() => document.removeEventListener("visibilitychange", onVisible));
    this.cleanups.push(
      this.storage.watch("outbox", () => {
        const outbox = this.storage.get<Outbox>("outbox");
        if (!outbox) return;
        this.drafts = { ...outbox.drafts, ...this.drafts };
        this.set({ outbox: outbox.items });
      }),
    );
    const onOnline = () => this.reconnect();
    window.addEventListener("online", onOnline);
    this.cleanups.push(() => window.removeEventListener("online", onOnline));

    const session = this.usableSession();
    this.transport.setToken(session?.token ?? null);
    if (this.serverSettings) this.set({ phase: "ready" });
    await this.boot();
  }

  private async boot(attempt = 0): Promise<void> {
    try {
      const config = await this.client.widget.config.query({
        accountToken: this.accountToken,
        inboxId: this.inboxId,
      });
      this.reached();
      this.applyConfig(config);
    } catch (error) {
      this.reached(error);
      if (!this.serverSettings) {
        this.set({ phase: "error", error: errorMessage(error) });
        // Offline or a server hiccup: try again, less and less often.
        this.later(() => void this.boot(attempt + 1), Math.min(2_000 * 2 ** attempt, 60_000));
        return;
      }
    }
    if (!this.loadedNotified) {
      this.loadedNotified = true;
      this.options.onChatLoaded?.();
    }
    // Returning visitors, identified customers and queued messages need a session now;
    // a first-time visitor gets one when they send something.
    if (this.session || this.identityKey() !== "|||" || this.state.outbox.length > 0) {
      this.wantConversations = true;
      await this.loadConversations().catch(this.ignore);
    } else {
      this.set({ conversationsLoaded: true });
    }
    this.schedulePopup();
    void this.flush();
    this.markSeenIfVisible();
  }

  private applyConfig(config: WidgetConfig): void {
    this.serverSettings = config.settings;
    this.storage.set("config", config);
    this.set({
      phase: "ready",
      error: null,
      companyName: config.companyName,
      outsideHoursMessage: config.awayMessage ?? null,
      settings: resolveSettings(this.options, config.settings),
      assistant: assistantOf(config),
    });
  }

  /** New props from the host page (the React component re-renders). */
  setOptions(options: Partial<ChatWidgetOptions>): void {
    const identityBefore = this.identityKey();
    const lookBefore = JSON.stringify([this.state.settings, this.state.strings, this.layout]);
    const who = (o: Partial<ChatWidgetOptions>) => JSON.stringify([o.customer, o.identityHash]);
    const previewBefore = JSON.stringify(this.options.preview);
    // New customer props win over an earlier identify() call.
    if (who(options) !== who(this.options)) this.override = null;
    this.options = options;
    const settings = resolveSettings(options, this.serverSettings);
    const strings = resolveStrings(options);
    if (JSON.stringify([settings, strings, this.layout]) !== lookBefore) {
      this.set({ settings, strings });
    }
    if (this.preview) {
      if (JSON.stringify(options.preview) !== previewBefore) this.set(this.sample());
    } else if (this.identityKey() !== identityBefore && this.state.phase !== "starting") {
      if (options.customer?.email) this.set({ email: options.customer.email });
      void this.identifyNow().then(() => this.loadConversations(), this.ignore);
    }
  }

  destroy(): void {
    this.destroyed = true;
    for (const timer of this.timers) clearTimeout(timer);
    for (const cleanup of this.cleanups) cleanup();
    this.subscription?.unsubscribe();
    this.transport.close();
    this.listeners.clear();
  }

  private readonly ignore = () => {};

  /** A fresh connection now (the browser says the network is back). */
  private reconnect(): void {
    if (this.wantConversations) void this.loadConversations().catch(this.ignore);
    this.transport.closeSocket();
    if (this.subscribedTo) this.subscribeTo(this.subscribedTo);
    this.retryMs = 0;
    void this.flush();
  }

  // ---------------------------------------------------------------- identity

  private customer(): NetiaCustomer | undefined {
    return this.override ? this.override.customer : this.options.customer;
  }

  private identityHash(): string | undefined {
    return this.override ? this.override.identityHash : this.options.identityHash;
  }

  /** What identify was last told, so a change (new customer, email) identifies again. */
  private identityKey(): string {
    const c = this.customer();
    return [
      externalIdOf(c) ?? "",
      this.state?.email ?? c?.email ?? "",
      c?.name ?? "",
      this.identityHash() ?? "",
    ].join("|");
  }

  private usableSession(): Session | null {
    const s = this.session;
    if (!s || s.key !== this.identityKey() || Date.now() - s.at > SESSION_MAX_AGE_MS) return null;
    return s;
  }

  private visitorId(): string {
    let id = this.storage.get<string>("visitor");
    if (typeof id !== "string" || id.length < 16 || id.length > 100) {
      id = randomId();
      this.storage.set("visitor", id);
    }
    return id;
  }

  private async ensureSession(): Promise<Session> {
    return this.usableSession() ?? this.identifyNow();
  }

  private identifyNow(): Promise<Session> {
    this.sessionPromise ??= (async () => {
      try {
        const c = this.customer();
        const email = this.state.email ?? c?.email;
        const externalId = externalIdOf(c);
        const customer = {
          ...(externalId && { externalId }),
          ...(email && { email }),
          ...(c?.name && { name: c.name }),
          ...(c?.metadata && { metadata: c.metadata }),
        };
        const hash = this.identityHash();
        const key = this.identityKey();
        const result = await this.client.widget.identify.mutate({
          accountToken: this.accountToken,
          inboxId: this.inboxId,
          visitorId: this.visitorId(),
          ...(Object.keys(customer).length > 0 && { customer }),
          ...(hash && externalId && { identityHash: hash }),
          context: browserContext(),
        });
        const previous = this.session;
        const session: Session = { ...result, token: result.sessionToken, key, at: Date.now() };
        this.session = session;
        this.storage.set("session", session);
        this.transport.setToken(session.token);
        if (previous && previous.customerId !== session.customerId) {
          // Someone else now: their conversations, not the previous visitor's.
          this.showConversation(null);
        } else if (this.subscribedTo) {
          this.subscribeTo(this.subscribedTo);
        }
        return session;
      } finally {
        this.sessionPromise = null;
      }
    })();
    return this.sessionPromise;
  }

  private dropSession(): void {
    this.session = null;
    this.storage.remove("session");
  }

  async identify(customer: NetiaCustomer, identityHash?: string): Promise<void> {
    this.override = { customer: { ...customer }, identityHash };
    if (customer.email && EMAIL.test(customer.email)) {
      this.storage.set("email", customer.email);
      this.set({ email: customer.email });
    }
    if (this.preview) return;
    await this.identifyNow();
    await this.loadConversations();
  }

  async reset(): Promise<void> {
    for (const name of ["visitor", "session", "outbox", "email", "active", "open", "popped"]) {
      this.storage.remove(name);
    }
    this.override = { customer: undefined, identityHash: undefined };
    this.session = null;
    this.drafts = {};
    this.subscription?.unsubscribe();
    this.subscription = null;
    this.subscribedTo = null;
    this.assistantDrafts.clear();
    this.set({
      conversations: [],
      activeId: null,
      draft: randomId(),
      messages: [],
      outbox: [],
      typing: null,
      answeredBy: null,
      drafts: [],
      handoff: null,
      agentsOnline: null,
      email: null,
      unread: [],
      view: "chat",
      popup: false,
    });
    this.transport.setToken(null);
  }

  // ---------------------------------------------------------------- conversations

  async loadConversations(): Promise<void> {
    if (this.preview) return;
    await this.ensureSession();
    const conversations = await this.client.widget.conversations.query();
    this.wantConversations = false;
    this.set({ conversations, conversationsLoaded: true });
    const { activeId } = this.state;
    if (activeId && conversations.some((c) => c.id === activeId)) {
      if (this.subscribedTo !== activeId) await this.openConversation(activeId);
      return;
    }
    if (activeId) this.showConversation(null);
    // Messages typed for a new conversation stay on it; otherwise the last conversation.
    const typingNew = this.state.outbox.some(
      (o) => o.draft === this.state.draft && !o.conversationId,
    );
    if (typingNew) return;
    const remembered = this.storage.get<string>("active");
    const pick = conversations.find((c) => c.id === remembered) ?? conversations[0];
    if (pick) await this.openConversation(pick.id);
  }

  private showConversation(id: string | null): void {
    this.seenInFlight = 0;
    if (this.subscribedTo !== id) {
      this.subscription?.unsubscribe();
      this.subscription = null;
      this.subscribedTo = null;
      this.cursor = 0;
    }
    this.assistantDrafts.clear();
    const summary = id ? this.state.conversations.find((c) => c.id === id) : undefined;
    this.set({
      activeId: id,
      messages: [],
      unread: [],
      typing: null,
      answeredBy: summary?.answeredBy ?? null,
      drafts: [],
      view: "chat",
      ...(id === null && { draft: randomId() }),
    });
    if (id) this.storage.set("active", id);
  }

  async openConversation(id: string): Promise<void> {
    this.showConversation(id);
    if (this.preview) return;
    this.set({ loadingMessages: true });
    try {
      await this.ensureSession();
      let afterSeq = 0;
      let collected: NetiaMessage[] = [];
      for (let page = 0; page < MAX_MESSAGE_PAGES; page++) {
        const { items, hasMore } = await this.client.widget.listMessages.query({
          conversationId: id,
          afterSeq,
          limit: 100,
        });
        collected = collected.concat(items as NetiaMessage[]);
        if (!hasMore || items.length === 0) break;
        afterSeq = items[items.length - 1]!.seq;
      }
      if (this.state.activeId !== id) return;
      this.mergeMessages(collected);
      // Everything up to the newest loaded seq is here: every message with a
      // lower seq in this conversation had committed before it.
      this.cursor = Math.max(this.cursor, ...collected.map((m) => m.seq));
      this.subscribeTo(id);
    } catch (error) {
      if (errorCode(error) === "NOT_FOUND") this.showConversation(null);
    } finally {
      if (this.state.activeId === id) this.set({ loadingMessages: false });
    }
  }

  newConversation(): void {
    this.showConversation(null);
    this.storage.remove("active");
  }

  showList(): void {
    this.set({ view: "list" });
    if (this.preview) return;
    void this.ensureSession()
      .then(async () => {
        const conversations = await this.client.widget.conversations.query();
        this.set({ conversations, conversationsLoaded: true });
      })
      .catch(this.ignore);
  }

  showChat(): void {
    this.set({ view: "chat" });
    this.markSeenIfVisible();
  }

  // ---------------------------------------------------------------- live events

  private subscribeTo(conversationId: string): void {
    this.subscription?.unsubscribe();
    this.subscribedTo = conversationId;
    this.subscription = this.client.widget.events.subscribe(
      { conversationId, lastEventId: this.cursor ? String(this.cursor) : null },
      {
        onData: (envelope) => {
          if (this.subscribedTo !== conversationId) return;
          // Each event carries the seq its stream has delivered up to.
          const id = "id" in envelope ? Number(envelope.id) : Number.NaN;
          if (Number.isSafeInteger(id)) this.cursor = Math.max(this.cursor, id);
          const event = ("data" in envelope ? envelope.data : envelope) as LiveEvent;
          this.onEvent(conversationId, event);
        },
        onError: (error) => {
          const code = errorCode(error);
          if (code === "UNAUTHORIZED") {
            this.dropSession();
            void this.ensureSession()
              .then(() => this.subscribeTo(conversationId))
              .catch(this.ignore);
          } else if (code === "NOT_FOUND" || code === "FORBIDDEN") {
            if (this.state.activeId === conversationId) this.showConversation(null);
          } else {
            this.later(() => {
              if (this.subscribedTo === conversationId) this.subscribeTo(conversationId);
            }, 3_000);
          }
        },
      },
    );
  }

  private onEvent(conversationId: string, event: LiveEvent): void {
    if (event.type === "availability") {
      this.set({ agentsOnline: event.agentsOnline });
    } else if (event.type === "typing") {
      const until = Math.min(Date.parse(event.expiresAt) || 0, Date.now() + 10_000);
      const bot = event.sender.type === "bot";
      this.set({ typing: { name: event.sender.name ?? null, until, bot } });
      this.later(
        () => {
          if (this.state.typing && this.state.typing.until <= Date.now())
            this.set({ typing: null });
        },
        until - Date.now() + 50,
      );
    } else if (event.type === "assistant.delta") {
      this.assistantDrafts.delta(event);
    } else if (event.type === "assistant.discarded") {
      if (this.assistantDrafts.end([event.streamId])) {
        this.set({ drafts: this.assistantDrafts.list() });
      }
    } else if (event.type === "conversation.updated") {
      if (event.answeredBy) this.set({ answeredBy: event.answeredBy });
    } else if (event.type === "message.seen") {
      const messages = this.state.messages.map((m) =>
        fromAgent(m) && !m.seenAt && m.seq <= event.upToSeq ? { ...m, seenAt: event.seenAt } : m,
      );
      this.set({ messages, unread: messages.filter((m) => fromAgent(m) && !m.seenAt) });
    } else if (event.type === "message.created") {
      const message = event.message;
      if (message.conversationId !== conversationId) return;
      const known = this.state.messages.some((m) => m.id === message.id);
      this.mergeMessages([message]);
      if (known || !fromAgent(message)) return;
      this.set({ typing: null });
      this.options.onMessageReceived?.(message);
      if (this.options.playSound && (!this.state.open || document.visibilityState !== "visible")) {
        playChime();
      }
      this.markSeenIfVisible();
    }
  }

  private mergeMessages(incoming: NetiaMessage[]): void {
    // A stored reply replaces its draft in the same update: never both, never neither.
    const replaced = this.assistantDrafts.end(streamIdsOf(incoming));
    const byId = new Map(this.state.messages.map((m) => [m.id, m]));
    for (const m of incoming) byId.set(m.id, { ...byId.get(m.id), ...m });
    const messages = [...byId.values()].sort(bySeq);
    // The server has a queued message: it is no longer pending.
    const sent = new Set(
      incoming.map((m) => (m as { clientMessageId?: string | null }).clientMessageId),
    );
    const outbox = this.state.outbox.filter((o) => !sent.has(o.clientMessageId));
    if (outbox.length !== this.state.outbox.length) this.saveOutbox(outbox);
    this.set({
      messages,
      outbox,
      unread: messages.filter((m) => fromAgent(m) && !m.seenAt),
      ...(replaced && { drafts: this.assistantDrafts.list() }),
    });
    this.markSeenIfVisible();
  }

  /** Seen means seen: the panel is open on this conversation and the tab is visible. */
  private markSeenIfVisible(): void {
    const { open, view, activeId, unread } = this.state;
    if (this.preview || !open || view !== "chat" || !activeId || unread.length === 0) return;
    if (document.visibilityState !== "visible") return;
    const upToSeq = Math.max(...unread.map((m) => m.seq));
    if (upToSeq <= this.seenInFlight) return;
    this.seenInFlight = upToSeq;
    const seenAt = new Date().toISOString();
    const messages = this.state.messages.map((m) =>
      fromAgent(m) && !m.seenAt && m.seq <= upToSeq ? { ...m, seenAt } : m,
    );
    this.set({ messages, unread: [] });
    void this.client.widget.markSeen.mutate({ conversationId: activeId, upToSeq }).catch(() => {
      this.seenInFlight = 0;
    });
  }

  // ---------------------------------------------------------------- open / close

  open(): void {
    if (this.state.open) return;
    this.set({ open: true, popup: false, opened: this.state.opened + 1 });
    if (this.options.persistOpenState) this.storage.set("open", true);
    this.options.onChatOpened?.();
    this.markSeenIfVisible();
  }

  close(): void {
    if (!this.state.open) return;
    this.set({ open: false });
    if (this.options.persistOpenState) this.storage.set("open", false);
    this.options.onChatClosed?.();
  }

  toggle(): void {
    if (this.state.open) this.close();
    else this.open();
  }

  dismissPopup(): void {
    this.set({ popup: false });
  }

  private schedulePopup(): void {
    const setting = this.state.settings.popUpInitialMessage;
    if (setting === false || this.state.open || this.state.messages.length > 0) return;
    if (!this.state.settings.greeting) return;
    const popped = this.storage.get<number>("popped");
    if (popped && Date.now() - popped < POPUP_AGAIN_AFTER_MS) return;
    const delay = typeof setting === "number" ? setting : 0;
    this.later(() => {
      if (this.state.open || this.state.messages.length > 0) return;
      this.storage.set("popped", Date.now());
      this.set({ popup: true });
    }, delay);
  }

  // ---------------------------------------------------------------- sending

  private saveOutbox(items: OutboxItem[]): void {
    this.storage.set("outbox", { items, drafts: this.drafts } satisfies Outbox);
  }

  /** Queues a message for the shown conversation and sends it as soon as possible. */
  send(text: string, attachments: NetiaAttachment[] = []): boolean {
    const body = text.trim().slice(0, 10_000);
    if (!body && attachments.length === 0) return false;
    const { activeId, draft } = this.state;
    const item: OutboxItem = {
      clientMessageId: randomId(),
      body: body || attachments.map((a) => a.filename).join(", "),
      conversationId: activeId ?? this.drafts[draft] ?? null,
      draft: activeId ? null : draft,
      createdAt: new Date().toISOString(),
      ...(attachments.length > 0 && { attachments }),
    };
    if (this.preview) {
      // Shown as sent; nothing leaves the page.
      const seq = this.state.messages.length + 1;
      this.set({ activeId: activeId ?? "preview", popup: false });
      this.mergeMessages([
        {
          id: item.clientMessageId,
          seq,
          conversationId: "preview",
          type: "reply",
          senderType: "customer",
          body: item.body,
          createdAt: item.createdAt,
          seenAt: null,
          metadata: {},
          attachments,
        },
      ]);
      return true;
    }
    const outbox = [...this.state.outbox, item];
    this.saveOutbox(outbox);
    this.set({ outbox, popup: false, notice: null });
    void this.flush();
    return true;
  }

  retry(clientMessageId: string): void {
    const outbox = this.state.outbox.map((o) =>
      o.clientMessageId === clientMessageId ? { ...o, failed: undefined } : o,
    );
    this.saveOutbox(outbox);
    this.set({ outbox });
    void this.flush();
  }

  discard(clientMessageId: string): void {
    const outbox = this.state.outbox.filter((o) => o.clientMessageId !== clientMessageId);
    this.saveOutbox(outbox);
    this.set({ outbox });
  }

  /**
   * Sends the outbox in order, one at a time. Without an answer (offline) it
   * tries again later, sooner when the socket or the browser says the network
   * is back; the server keeps one message per clientMessageId however often.
   */
  private async flush(): Promise<void> {
    if (this.flushing || this.destroyed || this.preview) return;
    this.flushing = true;
    try {
      let unauthorized = 0;
      for (;;) {
        const item = this.state.outbox.find((o) => !o.failed);
        if (!item) return;
        try {
          await this.ensureSession();
          const conversationId =
            item.conversationId ?? (item.draft ? this.drafts[item.draft] : undefined);
          const { conversationId: id, message } = await this.client.widget.sendMessage.mutate({
            ...(conversationId && { conversationId }),
            body: item.body,
            clientMessageId: item.clientMessageId,
            ...(item.attachments?.length && { attachmentIds: item.attachments.map((a) => a.id) }),
          });
          this.reached();
          this.retryMs = 0;
          this.onSent(item, id, message as NetiaMessage);
        } catch (error) {
          this.reached(error);
          const code = errorCode(error);
          if (!code) {
            // No answer: again in 1, 2, 4… up to 15 s, or as soon as the network is back.
            this.retryMs = Math.min(Math.max(this.retryMs * 2, 1_000), 15_000);
            this.flushLater(this.retryMs);
            return;
          }
          if (code === "UNAUTHORIZED" && unauthorized++ < 2) {
            this.dropSession();
            continue;
          }
          if (code === "TOO_MANY_REQUESTS") {
            this.flushLater(5_000);
            return;
          }
          const outbox = this.state.outbox.map((o) =>
            o.clientMessageId === item.clientMessageId ? { ...o, failed: errorMessage(error) } : o,
          );
          this.saveOutbox(outbox);
          this.set({ outbox });
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private flushTimer = false;
  private flushLater(ms: number): void {
    if (this.flushTimer) return;
    this.flushTimer = true;
    this.later(() => {
      this.flushTimer = false;
      void this.flush();
    }, ms);
  }

  private onSent(item: OutboxItem, conversationId: string, message: NetiaMessage): void {
    let created = false;
    if (item.draft && !this.drafts[item.draft]) {
      this.drafts[item.draft] = conversationId;
      created = true;
    }
    const outbox = this.state.outbox
      .filter((o) => o.clientMessageId !== item.clientMessageId)
      .map((o) => (o.draft && o.draft === item.draft ? { ...o, conversationId } : o));
    this.saveOutbox(outbox);
    this.set({ outbox });
    if (this.state.activeId === null && item.draft === this.state.draft) {
      this.set({ activeId: conversationId });
      this.storage.set("active", conversationId);
    }
    if (this.state.activeId === conversationId) {
      this.mergeMessages([message]);
      if (this.subscribedTo !== conversationId) this.subscribeTo(conversationId);
    }
    this.options.onMessageSent?.(message);
    if (created || !this.state.conversations.some((c) => c.id === conversationId)) {
      void this.client.widget.conversations
        .query()
        .then((conversations) => this.set({ conversations }))
        .catch(this.ignore);
    }
  }

  /** The visitor is typing: tells the agents, at most every 2 s. */
  typing(): void {
    const { activeId } = this.state;
    if (!activeId || !this.session || this.httpDown || this.preview) return;
    const now = Date.now();
    if (now - this.lastTypingAt < TYPING_EVERY_MS) return;
    this.lastTypingAt = now;
    void this.client.widget.typing.mutate({ conversationId: activeId }).catch(this.ignore);
  }

  /** "Talk to a person": the assistant stops answering this conversation and the team is told. */
  async talkToPerson(): Promise<void> {
    const { activeId, messages } = this.state;
    if (!activeId || this.preview) return;
    const afterSeq = messages[messages.length - 1]?.seq ?? 0;
    try {
      await this.ensureSession();
      await this.client.widget.requestHuman.mutate({ conversationId: activeId });
      this.reached();
    } catch (error) {
      this.reached(error);
      this.set({ notice: this.state.strings.handoffFailed });
      return;
    }
    // Already handed off (another tab, an agent's reply) ends the same way.
    if (this.state.activeId === activeId) {
      this.set({ answeredBy: "people", handoff: { conversationId: activeId, afterSeq } });
    }
  }

  // ---------------------------------------------------------------- email

  async submitEmail(email: string): Promise<boolean> {
    const value = email.trim();
    if (!EMAIL.test(value) || value.length > 254) {
      this.set({ notice: this.state.strings.emailInvalid });
      return false;
    }
    this.storage.set("email", value);
    this.set({ email: value, notice: null });
    if (this.preview) return true;
    try {
      await this.identifyNow();
    } catch {
      // Sent with the next identify (the key changed).
    }
    return true;
  }

  // ---------------------------------------------------------------- attachments

  /** Uploads a file; the result goes with the next message. */
  async upload(file: File): Promise<NetiaAttachment | null> {
    const { strings } = this.state;
    if (this.preview) return null;
    if (file.size > MAX_ATTACHMENT_BYTES) {
      this.set({ notice: strings.attachmentTooLarge });
      return null;
    }
    try {
      const session = await this.ensureSession();
      const res = await fetch(`${this.baseUrl}/api/attachments`, {
        method: "POST",
        headers: {
          "x-netia-widget-token": session.token,
          "content-type": file.type || "application/octet-stream",
          "x-netia-filename": encodeURIComponent(file.name),
        },
        body: file,
      });
      if (res.status === 413) {
        this.set({ notice: strings.attachmentTooLarge });
        return null;
      }
      if (res.status === 415) {
        this.set({ notice: strings.attachmentTypeNotAllowed });
        return null;
      }
      if (!res.ok) throw new Error(`upload failed: ${res.status}`);
      return (await res.json()) as NetiaAttachment;
    } catch {
      this.set({ notice: strings.attachmentFailed });
      return null;
    }
  }

  clearNotice(): void {
    if (this.state.notice) this.set({ notice: null });
  }
}

/** The assistant as the server's config describes it; null when it does not answer here. */
function assistantOf(config: WidgetConfig | undefined): WidgetState["assistant"] {
  // A config cached from an older server has no `assistant`.
  const assistant = config?.assistant as WidgetConfig["assistant"] | undefined;
  return assistant?.enabled ? { name: assistant.name } : null;
}

/** Short text of the newest unseen messages, for the launcher's preview. */
export function previewOf(messages: NetiaMessage[], max = 2): string[] {
  return messages.slice(-max).map((m) => {
    const text = plainText(m.body);
    return text.length > 140 ? `${text.slice(0, 139)}…` : text;
  });
}

let audio: AudioContext | undefined;
/** A soft two-note chime, synthesised (no file to fetch). */
function playChime(): void {
  try {
    const Ctx =
      window.AudioContext ??
      (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctx) return;
    audio ??= new Ctx();
    const now = audio.currentTime;
    for (const [i, freq] of [880, 1320].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, now + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.15, now + i * 0.12 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.12 + 0.25);
      osc.connect(gain).connect(audio.destination);
      osc.start(now + i * 0.12);
      osc.stop(now + i * 0.12 + 0.3);
    }
  } catch {
    // Autoplay policies may refuse until the visitor interacted with the page.
  }
}
