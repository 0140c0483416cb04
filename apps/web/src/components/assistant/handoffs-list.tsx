"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Choice, Section } from "@/components/settings/fields";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { customerLabel, messageTime } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";

type Filter = "all" | "handed_off";

/** Conversations the assistant handled, and those it handed to people with why and when. */
export function HandoffsList() {
  const trpc = useTRPC();
  const [filter, setFilter] = useState<Filter>("all");
  const list = useInfiniteQuery(
    trpc.assistant.handoffs.infiniteQueryOptions(
      { filter, limit: 25 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Section
      title="Conversations and handoffs"
      description="Where the assistant answered, and where it passed the conversation to your team."
      actions={
        <Choice
          legend="Show"
          name="handoff-filter"
          value={filter}
          onChange={setFilter}
          options={[
            { value: "all", label: "All" },
            { value: "handed_off", label: "Handed off" },
          ]}
          className="[&_legend]:sr-only"
        />
      }
    >
      {list.isError ? <ErrorMessage error={list.error} /> : null}
      {list.isPending ? <p className="text-sm text-muted-foreground">Loading…</p> : null}
      {list.isSuccess && rows.length === 0 ? (
        <p className="text-sm text-muted-foreground" data-testid="handoffs-empty">
          {filter === "all"
            ? "The assistant has not answered any conversation yet."
            : "No conversation was handed off."}
        </p>
      ) : null}
      <ul className="grid divide-y rounded-md border" data-testid="handoffs-list">
        {rows.map((row) => (
          <li
            key={row.conversationId}
            data-testid="handoff-row"
            data-conversation-id={row.conversationId}
          >
            <Link
              href={`/inbox/${row.conversationId}`}
              className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm outline-none hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring"
            >
              <span className="font-medium">
                {customerLabel({ name: row.customerName, email: row.customerEmail })}
              </span>
              <Badge variant={row.answeredBy === "people" ? "warning" : "success"}>
                {row.answeredBy === "people" ? "With the team" : "Assistant"}
              </Badge>
              <span className="text-muted-foreground">
                {row.replies} {row.replies === 1 ? "reply" : "replies"}
              </span>
              {row.handoffLabel ? (
                <span className="basis-full text-muted-foreground" data-testid="handoff-reason">
                  Handed off: {row.handoffLabel}
                  {row.handedOffAt ? (
                    <>
                      {" · "}
                      <time dateTime={row.handedOffAt}>{messageTime(row.handedOffAt)}</time>
                    </>
                  ) : null}
                </span>
              ) : null}
            </Link>
          </li>
        ))}
      </ul>
      {list.hasNextPage ? (
        <Button
          variant="outline"
          size="sm"
          className="w-fit"
          onClick={() => void list.fetchNextPage()}
          disabled={list.isFetchingNextPage}
        >
          {list.isFetchingNextPage ? "Loading…" : "Show more"}
        </Button>
      ) : null}
    </Section>
  );
}
