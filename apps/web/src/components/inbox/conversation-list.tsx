"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams, useSearchParams } from "next/navigation";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { customerLabel, shortAge } from "@/lib/format";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { cn } from "@/lib/utils";
import { CustomerAvatar } from "./customer-avatar";
import { useCustomerOnline } from "./live";
import { conversationHref, INBOX_VIEWS, type InboxView, parseView, viewHref } from "./views";

type ConversationRow = RouterOutputs["conversations"]["list"]["items"][number];
type Counts = RouterOutputs["conversations"]["counts"];

const PAGE_SIZE = 30;
/** Closed conversations only ever add up; that tab shows no count. */
const COUNTED_VIEWS: ReadonlySet<InboxView> = new Set(["all", "mine", "unassigned", "priority"]);

export function ConversationList() {
  const trpc = useTRPC();
  const view = parseView(useSearchParams().get("view"));
  const params = useParams<{ id?: string }>();
  const selectedId = params.id;

  const list = useInfiniteQuery(
    trpc.conversations.list.infiniteQueryOptions(
      { view, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  // Kept current by the dashboard's live events, like the list.
  const counts = useQuery(trpc.conversations.counts.queryOptions());
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <aside
      className="flex w-80 shrink-0 flex-col border-r bg-background lg:w-96"
      aria-label="Conversations"
    >
      <div className="border-b px-4 pt-4">
        <h1 className="mb-3 text-lg font-semibold">Inbox</h1>
        <nav className="-mb-px flex gap-0.5 overflow-x-auto" aria-label="Views">
          {INBOX_VIEWS.map((v) => (
            <ViewTab
              key={v.id}
              view={v.id}
              label={v.label}
              active={v.id === view}
              count={COUNTED_VIEWS.has(v.id) ? counts.data?.[v.id as keyof Counts] : undefined}
            />
          ))}
        </nav>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto" data-testid="conversation-list">
        {list.isError ? (
          <ErrorMessage error={list.error} className="m-4" />
        ) : list.isPending ? (
          <p className="p-4 text-sm text-muted-foreground">Loading conversations…</p>
        ) : rows.length === 0 ? (
          <EmptyList view={view} />
        ) : (
          <ul className="divide-y">
            {rows.map((row) => (
              <li key={row.id}>
                <ConversationListItem row={row} view={view} selected={row.id === selectedId} />
              </li>
            ))}
          </ul>
        )}
        {list.hasNextPage ? (
          <div className="p-3">
            <Button
              variant="outline"
              size="sm"
              className="w-full"
              onClick={() => list.fetchNextPage()}
              disabled={list.isFetchingNextPage}
            >
              {list.isFetchingNextPage ? "Loading…" : "Load more"}
            </Button>
          </div>
        ) : null}
      </div>
    </aside>
  );
}

function ViewTab({
  view,
  label,
  active,
  count,
}: {
  view: InboxView;
  label: string;
  active: boolean;
  count?: number;
}) {
  return (
    <Link
      href={viewHref(view)}
      aria-current={active ? "page" : undefined}
      data-testid={`view-${view}`}
      className={cn(
        "flex items-center whitespace-nowrap border-b-2 px-1.5 pb-2.5 text-sm font-medium transition-colors",
        active
          ? "border-primary text-foreground"
          : "border-transparent text-muted-foreground hover:text-foreground",
      )}
    >
      {label}
      {count !== undefined && count > 0 ? (
        <span
          className={cn(
            "ml-1 min-w-4 rounded-full px-1 text-center text-[11px] leading-4 tabular-nums",
            active ? "bg-primary text-primary-foreground" : "bg-muted text-muted-foreground",
          )}
          data-testid={`view-count-${view}`}
        >
          {count > 999 ? "999+" : count}
        </span>
      ) : null}
    </Link>
  );
}

function senderPrefix(last: NonNullable<ConversationRow["lastMessage"]>): string {
  if (last.private) return "Note: ";
  if (last.senderType === "user") return "Agent: ";
  if (last.senderType === "bot") return "Bot: ";
  return "";
}

function ConversationListItem({
  row,
  view,
  selected,
}: {
  row: ConversationRow;
  view: InboxView;
  selected: boolean;
}) {
  const name = customerLabel(row.customer);
  const last = row.lastMessage;
  const preview = last ? `${senderPrefix(last)}${last.body}` : "No messages yet";
  const unread = !row.read;
  const online = useCustomerOnline(row.customer.id);

  return (
    <Link
      href={conversationHref(row.id, view)}
      data-testid="conversation-row"
      data-conversation-id={row.id}
      aria-current={selected ? "page" : undefined}
      className={cn(
        "flex gap-3 px-4 py-3 transition-colors hover:bg-accent/60",
        selected && "bg-accent",
      )}
    >
      <CustomerAvatar label={name} online={online} />
      <div className="min-w-0 flex-1">
        <div className="flex items-baseline gap-2">
          <span
            className={cn("truncate text-sm", unread ? "font-semibold" : "font-medium")}
            data-testid="conversation-customer"
          >
            {name}
          </span>
          {row.priority === "high" ? (
            <span className="text-xs font-medium text-amber-700" title="Priority">
              ★
            </span>
          ) : null}
          <time
            className="ml-auto shrink-0 text-xs text-muted-foreground"
            dateTime={row.lastActivityAt}
            title={new Date(row.lastActivityAt).toLocaleString()}
          >
            {shortAge(row.lastActivityAt)}
          </time>
        </div>
        <div className="mt-0.5 flex items-center gap-2">
          <p
            className={cn("truncate text-sm", unread ? "text-foreground" : "text-muted-foreground")}
            data-testid="conversation-preview"
          >
            {preview}
          </p>
          {unread ? (
            <span
              className="ml-auto size-2 shrink-0 rounded-full bg-primary"
              data-testid="unread-dot"
              role="img"
              aria-label="Unread"
            />
          ) : null}
        </div>
      </div>
    </Link>
  );
}

function EmptyList({ view }: { view: InboxView }) {
  const text: Record<InboxView, string> = {
    all: "No open conversations. New messages from your widget appear here.",
    mine: "Nothing assigned to you.",
    unassigned: "Every open conversation has an owner.",
    priority: "No priority conversations.",
    closed: "No closed conversations yet.",
  };
  return (
    <p className="p-6 text-center text-sm text-muted-foreground" data-testid="conversation-empty">
      {text[view]}
    </p>
  );
}
