"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { customerLabel, shortAge } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { useDebounced } from "./use-debounced";

const PAGE_SIZE = 50;

/** Every customer of the account, newest first, searchable by name, email or external id. */
export function CustomerList() {
  const trpc = useTRPC();
  const [query, setQuery] = useState("");
  const q = useDebounced(query.trim(), 200);
  const list = useInfiniteQuery(
    trpc.customers.list.infiniteQueryOptions(
      { query: q || undefined, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Customers</h1>
        <Input
          type="search"
          aria-label="Search customers"
          placeholder="Search by name, email or id…"
          className="max-w-xs"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="customer-search"
        />
      </div>
      <ErrorMessage error={list.error} />
      <div className="overflow-hidden rounded-lg border bg-background">
        {list.isPending ? (
          <p className="p-4 text-sm text-muted-foreground">Loading customers…</p>
        ) : rows.length === 0 ? (
          <p className="p-4 text-sm text-muted-foreground">
            {q
              ? `No customer matches “${q}”.`
              : "No customers yet: they appear when they write in."}
          </p>
        ) : (
          <ul className="divide-y" data-testid="customer-list">
            {rows.map((c) => (
              <li key={c.id}>
                <Link
                  href={`/customers/${c.id}`}
                  className="flex items-center justify-between gap-3 px-4 py-2.5 text-sm hover:bg-accent"
                >
                  <span className="min-w-0">
                    <span className="block truncate font-medium">{customerLabel(c)}</span>
                    <span className="block truncate text-xs text-muted-foreground">
                      {[c.email, c.externalId].filter(Boolean).join(" · ") || "No email"}
                    </span>
                  </span>
                  <span className="shrink-0 text-xs text-muted-foreground">
                    {c.lastSeenAt ? `seen ${shortAge(c.lastSeenAt)}` : shortAge(c.createdAt)}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </div>
      {list.hasNextPage ? (
        <Button
          variant="outline"
          onClick={() => list.fetchNextPage()}
          disabled={list.isFetchingNextPage}
          className="justify-self-center"
        >
          {list.isFetchingNextPage ? "Loading…" : "Load more"}
        </Button>
      ) : null}
    </div>
  );
}
