// What the inbox list shows, kept in the URL's search params so a view with
// its filters can be shared and survives a reload:
//   /inbox?view=mine&tag=<id>&assignee=<userId>&inbox=<id>&channel=email

export const INBOX_VIEWS = [
  { id: "all", label: "All" },
  { id: "mine", label: "Mine" },
  { id: "mentions", label: "Mentions" },
  { id: "unassigned", label: "Unassigned" },
  { id: "unread", label: "Unread" },
  { id: "priority", label: "Priority" },
  { id: "snoozed", label: "Snoozed" },
  { id: "closed", label: "Closed" },
] as const;

export type InboxView = (typeof INBOX_VIEWS)[number]["id"];

export const CHANNELS = [
  { id: "chat", label: "Chat" },
  { id: "email", label: "Email" },
  { id: "slack", label: "Slack" },
  { id: "api", label: "API" },
] as const;

export type Channel = (typeof CHANNELS)[number]["id"];

export type InboxQuery = {
  view: InboxView;
  tagId?: string;
  assigneeId?: string;
  inboxId?: string;
  channel?: Channel;
};

export type InboxFilter = Exclude<keyof InboxQuery, "view">;

/** Search-param name of each part of the query. */
const PARAM: Record<keyof InboxQuery, string> = {
  view: "view",
  tagId: "tag",
  assigneeId: "assignee",
  inboxId: "inbox",
  channel: "channel",
};

type Params = { get(name: string): string | null };

export function parseView(value: string | null | undefined): InboxView {
  return INBOX_VIEWS.some((v) => v.id === value) ? (value as InboxView) : "all";
}

/**
 * The query in `params`. Ids are passed on as they are: one that is not the
 * account's lists nothing, and a malformed one is refused by the server.
 */
export function parseInboxQuery(params: Params): InboxQuery {
  const query: InboxQuery = { view: parseView(params.get(PARAM.view)) };
  const text = (key: InboxFilter) => params.get(PARAM[key])?.trim() || undefined;
  query.tagId = text("tagId");
  query.assigneeId = text("assigneeId");
  query.inboxId = text("inboxId");
  const channel = params.get(PARAM.channel);
  if (CHANNELS.some((c) => c.id === channel)) query.channel = channel as Channel;
  return query;
}

/** "?view=…&tag=…", or "" for the plain "all" view; only the parts that are set. */
export function inboxSearch(query: InboxQuery): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(PARAM) as (keyof InboxQuery)[]) {
    const value = query[key];
    if (!value || (key === "view" && value === "all")) continue;
    params.set(PARAM[key], value);
  }
  const search = params.toString();
  return search ? `?${search}` : "";
}

/** The list with `query`, no conversation open. */
export function listHref(query: InboxQuery): string {
  return `/inbox${inboxSearch(query)}`;
}

/** Link to a conversation that keeps the current view and filters. */
export function conversationHref(id: string, query: InboxQuery): string {
  return `/inbox/${id}${inboxSearch(query)}`;
}

export function hasFilters(query: InboxQuery): boolean {
  return Boolean(query.tagId || query.assigneeId || query.inboxId || query.channel);
}
