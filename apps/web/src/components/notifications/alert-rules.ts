// Which live events alert the agent, and with what words. Pure, so the rules
// are tested without a browser; use-alerts.ts applies them while the tab is
// hidden and turns them into a sound and a browser notification.
import type { RouterOutputs } from "@/lib/trpc";

export type Preferences = RouterOutputs["notifications"]["preferences"];

export type AlertKind = "newConversation" | "assignedMessage" | "mention";

export type Alert = {
  kind: AlertKind;
  conversationId: string;
  /** Collapses alerts of one conversation into one browser notification. */
  tag: string;
  title: string;
  body: string;
};

/** A customer's message, as the rules need it. */
export type CustomerMessage = {
  conversationId: string;
  body: string;
  /** The conversation started with this message (its `conversation.created` came just before). */
  startsConversation: boolean;
  assigneeId: string | null;
  customerName: string;
};

export type Mention = {
  conversationId: string;
  userId: string;
  authorName: string;
  /** The mentioning message's text, when this tab saw it. */
  body: string | null;
};

const PREVIEW_CHARS = 140;

/** One line of a message for a notification's body. */
export function preview(body: string): string {
  const line = body.replace(/\s+/g, " ").trim();
  return line.length > PREVIEW_CHARS ? `${line.slice(0, PREVIEW_CHARS - 1)}…` : line;
}

/** The alert for a customer's message, if the agent wants one. */
export function alertForCustomerMessage(
  message: CustomerMessage,
  myId: string,
  prefs: Preferences,
): Alert | null {
  const base = {
    conversationId: message.conversationId,
    tag: `conversation:${message.conversationId}`,
    body: preview(message.body),
  };
  if (message.startsConversation) {
    return prefs.newConversation
      ? { ...base, kind: "newConversation", title: `New conversation from ${message.customerName}` }
      : null;
  }
  if (message.assigneeId === myId && prefs.assignedMessage) {
    return { ...base, kind: "assignedMessage", title: `${message.customerName} wrote` };
  }
  return null;
}

/** The alert for an @mention, if it names this agent and they want one. */
export function alertForMention(mention: Mention, myId: string, prefs: Preferences): Alert | null {
  if (mention.userId !== myId || !prefs.mention) return null;
  return {
    kind: "mention",
    conversationId: mention.conversationId,
    tag: `mention:${mention.conversationId}`,
    title: `${mention.authorName} mentioned you`,
    body: mention.body ? preview(mention.body) : "Open the conversation to read it.",
  };
}
