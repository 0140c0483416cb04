"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useDebounced } from "@/components/customers/use-debounced";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import { CompanyForm } from "./company-form";

const PAGE_SIZE = 50;

/** The account's companies, searchable, with a form to add one. */
export function CompanyList() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [query, setQuery] = useState("");
  const q = useDebounced(query.trim(), 200);
  const list = useInfiniteQuery(
    trpc.companies.list.infiniteQueryOptions(
      { query: q || undefined, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const create = useMutation(
    trpc.companies.create.mutationOptions({
      onSuccess: (company) => {
        void queryClient.invalidateQueries({ queryKey: trpc.companies.pathKey() });
        router.push(`/companies/${company.id}`);
      },
    }),
  );
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Companies</h1>
        <Input
          type="search"
          aria-label="Search companies"
          placeholder="Search by name or website…"
          className="max-w-xs"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="company-search"
        />
      </div>
      <section className="grid gap-2 rounded-lg border bg-background p-4">
        <h2 className="font-semibold">New company</h2>
        <CompanyForm
          submitLabel="Create"
          pending={create.isPending}
          error={create.error}
          onSubmit={(fields) => create.mutate(fields)}
        />
      </section>
      <ErrorMessage error={list.error} />
      <div className="overflow-hidden rounded-lg border bg-background">
        {list.isPending ? (
          <p className="p-4 text-sm text-muted-foreground">Loading companies…</p>
        ) : rows.length === 0 ? (
          <p className="p-4 text-sm text-muted-foreground">
            {q ? `No company matches “${q}”.` : "No companies yet."}
          </p>
        ) : (
          <ul className="divide-y" data-testid="company-list">
            {rows.map((c) => (
              <li key={c.id}>
                <Link
                  href={`/companies/${c.id}`}
                  className="flex items-center justify-between gap-3 px-4 py-2.5 text-sm hover:bg-accent"
                >
                  <span className="min-w-0">
                    <span className="block truncate font-medium">{c.name}</span>
                    <span className="block truncate text-xs text-muted-foreground">
                      {c.website ?? "No website"}
                    </span>
                  </span>
                  <span className="shrink-0 text-xs text-muted-foreground">
                    {c.customerCount === 1 ? "1 customer" : `${c.customerCount} customers`}
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
