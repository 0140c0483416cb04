// The widget's public options: what a host page passes as `window.Netia`,
// `data-*` attributes or <ChatWidget/> props. Everything but `token` is
// optional; what a page leaves out comes from the inbox's settings on the
// server, then from the defaults (settings.ts).

/** Who the visitor is, as the host page knows them. */
export type NetiaCustomer = {
  /** Your id for this person: links their conversations across devices. */
  external_id?: string;
  /** Same as `external_id`. */
  externalId?: string;
  email?: string;
  name?: string;
  /** Shown to agents on the customer's profile (at most 50 keys). */
  metadata?: Record<string, string | number | boolean | null>;
};

/** A message as the widget shows it (and passes to the callbacks). */
export type NetiaMessage = {
  id: string;
  seq: number;
  conversationId: string;
  type: "reply" | "note" | "bot";
  senderType: "user" | "customer" | "bot";
  /** Markdown. */
  body: string;
  createdAt: string;
  seenAt: string | null;
  metadata: Record<string, unknown>;
  attachments?: NetiaAttachment[];
};

export type NetiaAttachment = {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  url: string;
};

/** Every text the widget shows; override any of them with the `strings` option. */
export type NetiaStrings = {
  openChat: string;
  closeChat: string;
  chatWindow: string;
  conversations: string;
  newConversation: string;
  backToChat: string;
  noConversations: string;
  send: string;
  attach: string;
  attachmentTooLarge: string;
  attachmentTypeNotAllowed: string;
  attachmentFailed: string;
  uploading: string;
  sending: string;
  queued: string;
  failed: string;
  retry: string;
  seen: string;
  you: string;
  agent: string;
  bot: string;
  typing: string;
  /** The mark beside the assistant's name and replies. */
  aiMark: string;
  /** Heading of the articles an assistant's reply cites. */
  sources: string;
  talkToPerson: string;
  handedOff: string;
  handoffFailed: string;
  reconnecting: string;
  loadFailed: string;
  emailLabel: string;
  emailPrompt: string;
  emailUpfrontPrompt: string;
  emailSave: string;
  emailSaved: string;
  emailInvalid: string;
  unreadOne: string;
  unreadMany: string;
  quickReplies: string;
  messages: string;
  poweredBy: string;
  startConversation: string;
};

export const defaultStrings: NetiaStrings = {
  openChat: "Open chat",
  closeChat: "Close chat",
  chatWindow: "Chat",
  conversations: "Your conversations",
  newConversation: "New conversation",
  backToChat: "Back",
  noConversations: "No conversations yet.",
  send: "Send",
  attach: "Attach a file",
  attachmentTooLarge: "That file is too large (10 MB at most).",
  attachmentTypeNotAllowed: "That type of file cannot be sent.",
  attachmentFailed: "The file could not be uploaded.",
  uploading: "Uploading…",
  sending: "Sending…",
  queued: "Waiting for connection",
  failed: "Not sent",
  retry: "Retry",
  seen: "Seen",
  you: "You",
  agent: "Agent",
  bot: "Bot",
  typing: "is typing…",
  aiMark: "AI",
  sources: "Sources",
  talkToPerson: "Talk to a person",
  handedOff: "We've let the team know. Someone will reply here soon.",
  handoffFailed: "We couldn't reach the team. Please try again.",
  reconnecting: "Reconnecting…",
  loadFailed: "The chat could not be loaded. Please try again later.",
  emailLabel: "Email",
  emailPrompt: "Nobody is online right now. Leave your email and we'll get back to you.",
  emailUpfrontPrompt: "Please enter your email to start chatting.",
  emailSave: "Save",
  emailSaved: "Thanks! We'll reply to {email}.",
  emailInvalid: "Please enter a valid email.",
  unreadOne: "1 new message",
  unreadMany: "{count} new messages",
  quickReplies: "Suggested replies",
  messages: "Messages",
  poweredBy: "Powered by Netia",
  startConversation: "Send us a message",
};

/** The options an admin can also set per inbox (the server's widget settings). */
export type NetiaInboxSettings = {
  title?: string;
  subtitle?: string;
  /** A hex colour like #1890ff. */
  primaryColor?: string;
  greeting?: string;
  /** Shown when no agent is online. */
  awayMessage?: string;
  newMessagePlaceholder?: string;
  emailInputPlaceholder?: string;
  /** Shown on the launcher's preview of unseen messages. */
  newMessagesNotificationText?: string;
  showAgentAvailability?: boolean;
  agentAvailableText?: string;
  agentUnavailableText?: string;
  /** Ask for the visitor's email before the first message. */
  requireEmailUpfront?: boolean;
  /** Hide the launcher while no agent is online. */
  hideOutsideWorkingHours?: boolean;
  /** Pop the greeting up as a preview: true at once, or after this many milliseconds. */
  popUpInitialMessage?: boolean | number;
  iconVariant?: "outlined" | "filled";
  position?: "left" | "right";
  customIconUrl?: string;
  isBrandingHidden?: boolean;
};

export type NetiaCallbacks = {
  /** The widget is on the page and its settings are loaded. */
  onChatLoaded?: () => void;
  onChatOpened?: () => void;
  onChatClosed?: () => void;
  /** A message the visitor sent reached the server. */
  onMessageSent?: (message: NetiaMessage) => void;
  /** An agent or bot message arrived. */
  onMessageReceived?: (message: NetiaMessage) => void;
};

export type ChatWidgetOptions = NetiaInboxSettings &
  NetiaCallbacks & {
    /** Your account's public token (its id). Required. */
    token: string;
    /** The inbox id; the account's default inbox when left out. */
    inbox?: string;
    /** Where Netia runs, e.g. https://chat.example.com. The script tag's own origin by default. */
    baseUrl?: string;
    /** Open the chat when the page loads. */
    defaultIsOpen?: boolean;
    /** Keep the chat open (or closed) across page loads. */
    persistOpenState?: boolean;
    /** No launcher button: open the chat with Netia.open() or your own button. */
    hideToggleButton?: boolean;
    /** Distance in pixels from the page's edges: one number, or { x, y }. Default 20. */
    offset?: number | { x?: number; y?: number };
    /** Play a short sound when a message arrives while the chat is closed or hidden. */
    playSound?: boolean;
    customer?: NetiaCustomer;
    /** HMAC-SHA256(identity secret, external_id) in hex, computed by your server. */
    identityHash?: string;
    /** Override any text the widget shows. */
    strings?: Partial<NetiaStrings>;
    /** Stacking order of the widget. Default 2147483000. */
    zIndex?: number;
    /**
     * A preview, e.g. for a settings page: the chat open on sample messages,
     * inside the nearest positioned element rather than the window. It never
     * talks to the server and stores nothing. `agentsOnline: false` shows the
     * away state; `conversation: false` a visitor who has not written yet.
     */
    preview?: boolean | { agentsOnline?: boolean; conversation?: boolean };
  };

/** The JS API on `window.Netia` (and the ref handle of <ChatWidget/>). */
export type NetiaApi = {
  open(): void;
  close(): void;
  toggle(): void;
  /** Links the visitor to a customer; `identityHash` when the inbox verifies identities. */
  identify(customer: NetiaCustomer, identityHash?: string): Promise<void>;
  /** Forgets the visitor (e.g. on log-out): a fresh anonymous visitor from now on. */
  reset(): Promise<void>;
};

/** Every inbox setting with a value: the page's, the server's, or the default (settings.ts). */
export type ResolvedSettings = Required<Omit<NetiaInboxSettings, "popUpInitialMessage">> & {
  popUpInitialMessage: boolean | number;
};

export function resolveStrings(options: Partial<ChatWidgetOptions>): NetiaStrings {
  const out = { ...defaultStrings };
  for (const [key, value] of Object.entries(options.strings ?? {})) {
    if (typeof value === "string" && key in out) out[key as keyof NetiaStrings] = value;
  }
  return out;
}

export function offsetOf(options: Partial<ChatWidgetOptions>): { x: number; y: number } {
  const o = options.offset;
  const clamp = (n: unknown) => (typeof n === "number" && Number.isFinite(n) ? Math.max(0, n) : 20);
  if (typeof o === "number") return { x: clamp(o), y: clamp(o) };
  return { x: clamp(o?.x), y: clamp(o?.y) };
}

/** `external_id` or `externalId`, trimmed; undefined when empty. */
export function externalIdOf(customer: NetiaCustomer | undefined): string | undefined {
  const id = customer?.external_id ?? customer?.externalId;
  const trimmed = typeof id === "string" ? id.trim() : id == null ? "" : String(id);
  return trimmed || undefined;
}

const BOOLEAN_KEYS = new Set([
  "showAgentAvailability",
  "requireEmailUpfront",
  "hideOutsideWorkingHours",
  "defaultIsOpen",
  "persistOpenState",
  "hideToggleButton",
  "isBrandingHidden",
  "playSound",
]);
const STRING_KEYS = new Set([
  "token",
  "inbox",
  "baseUrl",
  "title",
  "subtitle",
  "primaryColor",
  "greeting",
  "awayMessage",
  "newMessagePlaceholder",
  "emailInputPlaceholder",
  "newMessagesNotificationText",
  "agentAvailableText",
  "agentUnavailableText",
  "iconVariant",
  "position",
  "customIconUrl",
  "identityHash",
]);

/**
 * Options from a script tag's data-* attributes (`data-primary-color` is
 * `primaryColor`); `data-customer-email`, `-name`, `-external-id` make `customer`.
 */
export function optionsFromDataset(dataset: Record<string, string | undefined>) {
  const options: Record<string, unknown> = {};
  const customer: NetiaCustomer = {};
  for (const [key, raw] of Object.entries(dataset)) {
    if (raw === undefined) continue;
    if (BOOLEAN_KEYS.has(key)) options[key] = raw === "" || raw === "true";
    else if (STRING_KEYS.has(key)) options[key] = raw;
    else if (key === "popUpInitialMessage") {
      options[key] = raw === "" || raw === "true" ? true : raw === "false" ? false : Number(raw);
    } else if (key === "offset" || key === "offsetX" || key === "offsetY" || key === "zIndex") {
      const n = Number(raw);
      if (!Number.isFinite(n)) continue;
      if (key === "zIndex") options.zIndex = n;
      else if (key === "offset") options.offset = n;
      else {
        const prev = (typeof options.offset === "object" ? options.offset : {}) as object;
        options.offset = { ...prev, [key === "offsetX" ? "x" : "y"]: n };
      }
    } else if (key === "customerEmail") customer.email = raw;
    else if (key === "customerName") customer.name = raw;
    else if (key === "customerExternalId") customer.external_id = raw;
  }
  if (Object.keys(customer).length > 0) options.customer = customer;
  return options as Partial<ChatWidgetOptions>;
}

export function template(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (m, key: string) => (key in values ? String(values[key]) : m));
}
