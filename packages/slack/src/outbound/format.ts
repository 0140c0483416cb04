// How a conversation looks in Slack: the thread's first message (the header:
// who the customer is, the conversation's status, assignee and priority, and a
// Resolve or Reopen button whose click comes back through interactivity), and
// each Netia message in the thread, marked with who wrote it and whether the
// customer saw it.

/** The buttons' action ids; the inbound half acts on them (packages/slack/src/inbound). */
export const RESOLVE_ACTION = "netia_resolve";
export const REOPEN_ACTION = "netia_reopen";

/** Slack refuses a text past 40,000 characters; a long message is cut and links to Netia. */
const MAX_BODY = 3_500;

export type HeaderState = {
  status: "open" | "closed" | "snoozed";
  assignee: string | null;
  priority: "normal" | "high";
};

export type HeaderInput = HeaderState & {
  conversationId: string;
  customer: string;
  subject: string | null;
  url: string;
};

/** `&`, `<` and `>` are markup in Slack's text: everything Netia posts is escaped. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function cut(body: string, url: string): string {
  if (body.length <= MAX_BODY) return escapeSlack(body);
  return `${escapeSlack(body.slice(0, MAX_BODY))}… <${url}|(read it all in Netia)>`;
}

const STATUS_LABEL = { open: "Open", closed: "Resolved", snoozed: "Snoozed" } as const;

/** What the header shows, as stored in slack_threads.header_state to update it only on change. */
export function headerStateKey(state: HeaderState): string {
  return JSON.stringify([state.status, state.assignee, state.priority]);
}

export function headerMessage(input: HeaderInput): { text: string; blocks: unknown[] } {
  const customer = escapeSlack(input.customer);
  const title = input.subject
    ? `*${customer}*: ${escapeSlack(input.subject)}`
    : `New conversation with *${customer}*`;
  const facts = [
    `Status: *${STATUS_LABEL[input.status]}*`,
    `Assignee: *${input.assignee ? escapeSlack(input.assignee) : "nobody"}*`,
    `Priority: *${input.priority === "high" ? "High" : "Normal"}*`,
  ].join("  ·  ");
  const button =
    input.status === "closed"
      ? { text: "Reopen", action_id: REOPEN_ACTION }
      : { text: "Resolve", action_id: RESOLVE_ACTION, style: "primary" };
  return {
    text: `${input.subject ? `${input.customer}: ${input.subject}` : `New conversation with ${input.customer}`} (${STATUS_LABEL[input.status]})`,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `${title}\n<${input.url}|Open in Netia>` } },
      { type: "context", elements: [{ type: "mrkdwn", text: facts }] },
      {
        type: "actions",
        block_id: "netia",
        elements: [
          {
            type: "button",
            text: { type: "plain_text", text: button.text },
            action_id: button.action_id,
            value: input.conversationId,
            ...(button.style && { style: button.style }),
          },
        ],
      },
    ],
  };
}

export type OutboundMessage = {
  type: "reply" | "note" | "bot";
  senderType: "user" | "customer" | "bot";
  private: boolean;
  body: string;
  /** The agent's name, for agents' messages. */
  agentName: string | null;
};

/** Who wrote it and who saw it, as the thread's reader needs to know. */
export function senderLabel(message: OutboundMessage, customer: string): string {
  if (message.senderType === "customer") return `${customer} (customer)`;
  if (message.senderType === "bot") return message.private ? "Bot (private note)" : "Bot";
  const agent = message.agentName ?? "An agent";
  return message.private ? `${agent} (private note)` : `${agent} (agent)`;
}

/** A message in the conversation's thread: its sender marked, then its text. */
export function threadMessageText(message: OutboundMessage, customer: string, url: string): string {
  const icon =
    message.senderType === "customer"
      ? ":bust_in_silhouette:"
      : message.private
        ? ":lock:"
        : message.senderType === "bot"
          ? ":robot_face:"
          : ":speech_balloon:";
  return `${icon} *${escapeSlack(senderLabel(message, customer))}*\n${cut(message.body, url)}`;
}

/** Alerts mode: a top-level message per customer message, linking to the conversation. */
export function alertText(
  input: { customer: string; body: string; url: string },
  first: boolean,
): string {
  const what = first ? "New conversation from" : "New message from";
  return `${what} *${escapeSlack(input.customer)}* <${input.url}|(open in Netia)>\n${cut(input.body, input.url)}`;
}

/** A support channel's thread is shared with the customer: the agent's words, under their name. */
export function supportReplyText(message: OutboundMessage, url: string): string {
  return cut(message.body, url);
}
