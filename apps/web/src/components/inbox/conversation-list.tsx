"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { ArrowUp, Mail } from "lucide-react";
import Link from "next/link";
import { useParams, useSearchParams } from "next/navigation";
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { customerLabel, fullTime, initials, shortAge } from "@/lib/format";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { cn } from "@/lib/utils";
import { CustomerAvatar } from "./customer-avatar";
import { InboxFilters } from "./filters";
import { useCustomerOnline } from "./live";
import { useAgentNames } from "./team";
import { useListKeyboard } from "./use-list-keyboard";
import {
  conversationHref,
  hasFilters,
  INBOX_VIEWS,
  type InboxQuery,
  type InboxView,
  listHref,
  parseInboxQuery,
} from "./views";

type ConversationRow = RouterOutputs["conversations"]["list"]["items"][number];
type Counts = RouterOutputs["conversations"]["counts"];

const PAGE_SIZE = 50;
/** Every row has this height, so the virtualizer places rows without measuring them. */
const ROW_HEIGHT = 84;
/** Rows rendered beyond the viewport on each side. */
const OVERSCAN = 8;
/** The next page loads when the last rendered row is this close to the end. */
const PREFETCH_ROWS = 15;
/** Closed conversations only ever add up; that tab shows no count. */
const UNCOUNTED_VIEWS: ReadonlySet<InboxView> = new Set(["closed"]);

export function ConversationList() {
  const trpc = useTRPC();
  const searchParams = useSearchParams();
  // Stable between renders, so memoized rows re-render only when their own data changes.
  const query = useMemo(() => parseInboxQuery(searchParams), [searchParams]);
  const selectedId = useParams<{ id?: string }>().id;

  const list = useInfiniteQuery(
    trpc.conversations.list.infiniteQueryOptions(
      {
        view: query.view,
        tagId: query.tagId,
        assigneeId: query.assigneeId,
        inboxId: query.inboxId,
        channel: query.channel,
        limit: PAGE_SIZE,
      },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  // Kept current by the dashboard's live events, like the list.
  const counts = useQuery(trpc.conversations.counts.queryOptions());
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);

  return (
    <aside
      className="flex w-full shrink-0 flex-col bg-background md:w-80 md:border-r lg:w-96"
      aria-label="Conversations"
    >
      <div className="border-b px-4 pt-4">
        <h1 className="mb-3 text-lg font-semibold">Inbox</h1>
        <nav className="-mb-px flex gap-0.5 overflow-x-auto" aria-label="Views">
          {INBOX_VIEWS.map((v) => (
            <ViewTab
              key={v.id}
              href={listHref({ ...query, view: v.id })}
              view={v.id}
              label={v.label}
              active={v.id === query.view}
              count={UNCOUNTED_VIEWS.has(v.id) ? undefined : counts.data?.[v.id]}
            />
          ))}
        </nav>
      </div>
      <InboxViews query={query} counts={counts.data} />
      <InboxFilters query={query} />
      {list.isError ? (
        <ErrorMessage error={list.error} className="m-4" />
      ) : list.isPending ? (
        <p className="p-4 text-sm text-muted-foreground">Loading conversations…</p>
      ) : rows.length === 0 ? (
        <EmptyList query={query} />
      ) : (
        <VirtualRows
          // A new view or filter starts at the top with nothing counted as new.
          key={JSON.stringify(query)}
          rows={rows}
          query={query}
          selectedId={selectedId}
          loadMore={() => {
            if (list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
          }}
          loadingMore={list.isFetchingNextPage}
        />
      )}
    </aside>
  );
}

/**
 * The rows, virtualized (only those near the viewport are in the DOM), with
 * the agent's place kept: when conversations arrive or move above the rows on
 * screen while the agent is scrolled down, the list is shifted back by as many
 * rows so nothing on screen moves, and an "N new" pill offers to go to the top.
 */
function VirtualRows({
  rows,
  query,
  selectedId,
  loadMore,
  loadingMore,
}: {
  rows: ConversationRow[];
  query: InboxQuery;
  selectedId: string | undefined;
  loadMore: () => void;
  loadingMore: boolean;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    getItemKey: (index) => rows[index]?.id ?? index,
  });
  const newAbove = useKeptPlace(scroller, rows);
  useListKeyboard({
    rows,
    query,
    selectedId,
    list: scroller,
    scrollToIndex: (index) => virtualizer.scrollToIndex(index, { align: "auto" }),
  });

  const items = virtualizer.getVirtualItems();
  const lastRendered = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (lastRendered >= rows.length - PREFETCH_ROWS) loadMore();
  }, [lastRendered, rows.length, loadMore]);

  return (
    <div className="relative min-h-0 flex-1">
      {newAbove.count > 0 ? (
        <button
          type="button"
          onClick={newAbove.showTop}
          data-testid="new-conversations-pill"
          className="absolute top-2 left-1/2 z-10 flex -translate-x-1/2 items-center gap-1 rounded-full bg-primary px-3 py-1 text-xs font-medium text-primary-foreground shadow-md"
        >
          <ArrowUp className="size-3.5" aria-hidden />
          {newAbove.count} new
        </button>
      ) : null}
      <div
        ref={scroller}
        className="h-full overflow-y-auto"
        data-testid="conversation-list"
        aria-busy={loadingMore}
      >
        <ul className="relative" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <li
                key={item.key}
                className="absolute inset-x-0 border-b"
                style={{ top: item.start, height: ROW_HEIGHT }}
              >
                <ConversationListItem row={row} query={query} selected={row.id === selectedId} />
              </li>
            );
          })}
        </ul>
        {loadingMore ? (
          <p className="p-3 text-center text-xs text-muted-foreground">Loading more…</p>
        ) : null}
      </div>
    </div>
  );
}

/**
 * Keeps the first row on screen in place when rows change above it, and
 * counts the conversations that appeared above it since the agent last was at
 * the top.
 */
function useKeptPlace(
  scroller: React.RefObject<HTMLDivElement | null>,
  rows: readonly ConversationRow[],
) {
  const previous = useRef<readonly ConversationRow[]>(rows);
  const unseen = useRef(new Set<string>());
  const [count, setCount] = useState(0);

  useLayoutEffect(() => {
    const el = scroller.current;
    const before = previous.current;
    previous.current = rows;
    if (!el || before === rows) return;
    const top = el.scrollTop;
    if (top <= 0) return;
    const anchorIndex = Math.floor(top / ROW_HEIGHT);
    const anchor = before[anchorIndex];
    const index = anchor ? rows.findIndex((r) => r.id === anchor.id) : -1;
    if (index < 0) return;
    if (index !== anchorIndex) el.scrollTop = top + (index - anchorIndex) * ROW_HEIGHT;
    // A page appended below (the common change while scrolling) leaves the rows
    // above as they were: nothing to count, and no set of every id to build.
    if (index === anchorIndex && rows.slice(0, index).every((r, i) => r.id === before[i]?.id)) {
      return;
    }
    const shown = new Set(before.map((r) => r.id));
    for (const row of rows.slice(0, index)) {
      if (!shown.has(row.id)) unseen.current.add(row.id);
    }
    setCount(unseen.current.size);
  }, [scroller, rows]);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onScroll = () => {
      // The count first: reading scrollTop in a scroll handler forces a layout.
      if (unseen.current.size === 0 || el.scrollTop > 0) return;
      unseen.current.clear();
      setCount(0);
    };
    el.addEventListener("scroll", onScroll, { passive: true });
    return () => el.removeEventListener("scroll", onScroll);
  }, [scroller]);

  return {
    count,
    showTop() {
      scroller.current?.scrollTo({ top: 0 });
      unseen.current.clear();
      setCount(0);
    },
  };
}

/** One view per inbox (the "all" view of that inbox), with its open count. */
function InboxViews({ query, counts }: { query: InboxQuery; counts: Counts | undefined }) {
  const trpc = useTRPC();
  const inboxes = useQuery(trpc.inboxes.list.queryOptions());
  if (!inboxes.data || inboxes.data.length < 2) return null;
  const open = new Map(counts?.inboxes.map((i) => [i.inboxId, i.open]));
  return (
    <nav className="flex flex-wrap gap-1.5 border-b px-4 py-2" aria-label="Inboxes">
      {inboxes.data.map((inbox) => {
        const active = query.inboxId === inbox.id;
        return (
          <Link
            key={inbox.id}
            href={listHref({ ...query, inboxId: active ? undefined : inbox.id })}
            aria-current={active ? "page" : undefined}
            data-testid={`inbox-view-${inbox.id}`}
            className={cn(
              "rounded-full border px-2 py-0.5 text-xs",
              active ? "border-primary bg-primary/10 text-foreground" : "text-muted-foreground",
            )}
          >
            {inbox.name}
            <span className="ml-1 tabular-nums" data-testid="inbox-view-count">
              {open.get(inbox.id) ?? 0}
            </span>
          </Link>
        );
      })}
    </nav>
  );
}

function ViewTab({
  href,
  view,
  label,
  active,
  count,
}: {
  href: string;
  view: InboxView;
  label: string;
  active: boolean;
  count?: number;
}) {
  return (
    <Link
      href={href}
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

/**
 * One row. Memoized: scrolling re-renders the list on every frame, and only
 * the rows whose conversation changed need to render again.
 */
const ConversationListItem = memo(function ConversationListItem({
  row,
  query,
  selected,
}: {
  row: ConversationRow;
  query: InboxQuery;
  selected: boolean;
}) {
  const name = customerLabel(row.customer);
  const last = row.lastMessage;
  const preview = last ? `${senderPrefix(last)}${last.body}` : "No messages yet";
  const unread = !row.read;
  const online = useCustomerOnline(row.customer.id);
  const agents = useAgentNames();
  const assignee = row.assigneeId ? (agents.get(row.assigneeId) ?? "Teammate") : null;

  return (
    <Link
      href={conversationHref(row.id, query)}
      // Prefetching every row that scrolls into view would fetch hundreds of
      // routes while the agent scrolls; opening one is fast without it.
      prefetch={false}
      data-testid="conversation-row"
      data-conversation-id={row.id}
      aria-current={selected ? "page" : undefined}
      className={cn(
        "flex h-full gap-3 px-4 py-2.5 transition-colors hover:bg-accent/60",
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
          {row.channel === "email" ? (
            <Mail
              className="size-3.5 shrink-0 self-center text-muted-foreground"
              role="img"
              aria-label="Email conversation"
              data-testid="conversation-channel-email"
            />
          ) : null}
          {row.priority === "high" ? (
            <span className="text-xs font-medium text-warning-foreground" title="Priority">
              ★
            </span>
          ) : null}
          <time
            className="ml-auto shrink-0 text-xs text-muted-foreground"
            dateTime={row.lastActivityAt}
            title={fullTime(row.lastActivityAt)}
          >
            {shortAge(row.lastActivityAt)}
          </time>
        </div>
        <div className="mt-0.5 flex items-center gap-2">
          <p
            className={cn("truncate text-sm", unread ? "text-foreground" : "text-muted-foreground")}
            data-testid="conversation-preview"
          >
            {row.channel === "email" && row.subject ? (
              <span className="font-medium text-foreground" data-testid="conversation-subject">
                {row.subject} ·{" "}
              </span>
            ) : null}
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
        <div className="mt-1 flex h-5 items-center gap-1 overflow-hidden">
          {row.tags.map((tag) => (
            <span
              key={tag.id}
              className="shrink-0 rounded border px-1 text-[11px] leading-4 text-muted-foreground"
              style={{ borderColor: tag.color ?? undefined }}
              data-testid="conversation-tag"
            >
              {tag.name}
            </span>
          ))}
          {assignee ? (
            <span
              className="ml-auto flex size-5 shrink-0 items-center justify-center rounded-full bg-primary/15 text-[10px] font-semibold"
              title={`Assigned to ${assignee}`}
              aria-label={`Assigned to ${assignee}`}
              role="img"
              data-testid="conversation-assignee"
            >
              {initials(assignee)}
            </span>
          ) : null}
        </div>
      </div>
    </Link>
  );
});

function EmptyList({ query }: { query: InboxQuery }) {
  const text: Record<InboxView, string> = {
    all: "No open conversations. New messages from your widget appear here.",
    mine: "Nothing assigned to you.",
    mentions: "Nobody has mentioned you yet. Teammates mention you with @ in a reply or note.",
    unassigned: "Every open conversation has an owner.",
    unread: "Nothing waiting to be read.",
    priority: "No priority conversations.",
    snoozed: "No snoozed conversations.",
    closed: "No closed conversations yet.",
  };
  return (
    <p className="p-6 text-center text-sm text-muted-foreground" data-testid="conversation-empty">
      {hasFilters(query) ? "No conversations match these filters." : text[query.view]}
    </p>
  );
}
