export const INBOX_VIEWS = [
  { id: "all", label: "All" },
  { id: "mine", label: "Mine" },
  { id: "unassigned", label: "Unassigned" },
  { id: "priority", label: "Priority" },
  { id: "closed", label: "Closed" },
] as const;

export type InboxView = (typeof INBOX_VIEWS)[number]["id"];

export function parseView(value: string | null | undefined): InboxView {
  return INBOX_VIEWS.some((v) => v.id === value) ? (value as InboxView) : "all";
}

/** Link to a conversation that keeps the current view selected. */
export function conversationHref(id: string, view: InboxView): string {
  return view === "all" ? `/inbox/${id}` : `/inbox/${id}?view=${view}`;
}

export function viewHref(view: InboxView): string {
  return view === "all" ? "/inbox" : `/inbox?view=${view}`;
}
