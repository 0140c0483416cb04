"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Merge } from "lucide-react";
import { useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { customerLabel } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { useDebounced } from "./use-debounced";

/**
 * Folds a duplicate into this customer: find the other record, confirm, and
 * its conversations, notes and tags move here; it is then deleted.
 */
export function MergeCustomer({ keepId }: { keepId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [query, setQuery] = useState("");
  const [picked, setPicked] = useState<{ id: string; label: string } | null>(null);
  const q = useDebounced(query.trim(), 200);
  const candidates = useQuery(
    trpc.customers.list.queryOptions({ query: q, limit: 8 }, { enabled: q.length > 0 }),
  );
  const merge = useMutation(
    trpc.customers.merge.mutationOptions({
      onSuccess: () => {
        setPicked(null);
        setQuery("");
        void queryClient.invalidateQueries({ queryKey: trpc.customers.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.notes.pathKey() });
      },
    }),
  );
  const others = (candidates.data?.items ?? []).filter((c) => c.id !== keepId);

  return (
    <section
      className="grid gap-3 rounded-lg border bg-background p-4"
      data-testid="merge-customer"
    >
      <div>
        <h2 className="font-semibold">Merge a duplicate</h2>
        <p className="text-sm text-muted-foreground">
          The other record's conversations, notes and tags move here, empty fields are filled from
          it, and it is deleted.
        </p>
      </div>
      {picked ? (
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span>
            Merge <strong>{picked.label}</strong> into this customer?
          </span>
          <Button
            size="sm"
            variant="destructive"
            disabled={merge.isPending}
            onClick={() => merge.mutate({ keepId, removeId: picked.id })}
            data-testid="merge-confirm"
          >
            <Merge aria-hidden />
            {merge.isPending ? "Merging…" : "Merge"}
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setPicked(null)}>
            Cancel
          </Button>
        </div>
      ) : (
        <>
          <Input
            type="search"
            aria-label="Find the duplicate"
            placeholder="Find the duplicate by name or email…"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            data-testid="merge-search"
          />
          {others.length > 0 ? (
            <ul className="divide-y rounded-md border">
              {others.map((c) => (
                <li key={c.id}>
                  <button
                    type="button"
                    className="w-full px-3 py-2 text-left text-sm hover:bg-accent"
                    onClick={() => setPicked({ id: c.id, label: customerLabel(c) })}
                  >
                    {customerLabel(c)}
                    <span className="ml-2 text-xs text-muted-foreground">{c.email}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      )}
      <ErrorMessage error={merge.error ?? candidates.error} />
    </section>
  );
}
