"use client";

// The command palette: Ctrl/Cmd+K anywhere in the dashboard opens a search
// over messages, customers and companies; arrows move, Enter opens.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Building2, Lock, MessageSquare, Search, User } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { useDebounced } from "@/components/customers/use-debounced";
import { ErrorMessage } from "@/components/error-message";
import { useTRPC } from "@/lib/trpc";
import { cn } from "@/lib/utils";
import { resultHref, type SearchResult } from "./result-href";
import { Snippet } from "./snippet";

const KIND_ICONS = { message: MessageSquare, customer: User, company: Building2 } as const;
const KIND_LABELS = { message: "Message", customer: "Customer", company: "Company" } as const;

export function CommandPalette() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
        event.preventDefault();
        setOpen((was) => !was);
      }
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
  return open ? <PaletteDialog onClose={() => setOpen(false)} /> : null;
}

function PaletteDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const listId = useId();
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const q = useDebounced(query.trim(), 150);
  const search = useQuery(
    trpc.search.query.queryOptions(
      { q, limit: 20 },
      { enabled: q.length > 0, placeholderData: keepPreviousData },
    ),
  );
  const results = q ? (search.data ?? []) : [];
  const restoreFocus = useRef<Element | null>(null);

  useEffect(() => {
    restoreFocus.current = document.activeElement;
    return () => (restoreFocus.current as HTMLElement | null)?.focus?.();
  }, []);

  function openResult(result: SearchResult | undefined) {
    if (!result) return;
    onClose();
    router.push(resultHref(result));
  }

  function onKeyDown(event: React.KeyboardEvent) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive((i) => Math.min(i + 1, results.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (event.key === "Enter") {
      event.preventDefault();
      openResult(results[active]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      onClose();
    }
  }

  const optionId = (i: number) => `${listId}-${i}`;
  return (
    <div className="fixed inset-0 z-50 flex items-start justify-center bg-overlay p-4 pt-[12vh]">
      <button
        type="button"
        aria-label="Close search"
        tabIndex={-1}
        className="absolute inset-0 cursor-default"
        onClick={onClose}
      />
      <div
        role="dialog"
        aria-modal="true"
        aria-label="Search"
        className="relative w-full max-w-xl overflow-hidden rounded-xl border bg-background shadow-2xl"
        data-testid="command-palette"
      >
        <div className="flex items-center gap-2 border-b px-3">
          <Search className="size-4 text-muted-foreground" aria-hidden />
          <input
            // biome-ignore lint/a11y/noAutofocus: the palette opens to be typed into
            autoFocus
            role="combobox"
            aria-expanded={results.length > 0}
            aria-controls={listId}
            aria-activedescendant={results.length > 0 ? optionId(active) : undefined}
            aria-label="Search messages, customers and companies"
            placeholder="Search messages, customers and companies…"
            className="h-12 w-full bg-transparent text-sm outline-none placeholder:text-muted-foreground"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              // A new query starts at its best result.
              setActive(0);
            }}
            onKeyDown={onKeyDown}
            data-testid="command-palette-input"
          />
          <kbd className="rounded border px-1.5 text-xs text-muted-foreground">Esc</kbd>
        </div>
        <ErrorMessage error={search.error} className="m-3" />
        <div
          id={listId}
          role="listbox"
          aria-label="Results"
          className="max-h-[60vh] overflow-y-auto"
        >
          {results.map((result, i) => {
            const Icon = KIND_ICONS[result.kind];
            return (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the input handles the keyboard (combobox)
              <div
                key={`${result.kind}:${result.id}`}
                id={optionId(i)}
                role="option"
                tabIndex={-1}
                aria-selected={i === active}
                className={cn(
                  "flex cursor-pointer gap-3 border-b px-3 py-2.5 text-sm last:border-b-0",
                  i === active && "bg-accent",
                )}
                onMouseMove={() => setActive(i)}
                onClick={() => openResult(result)}
                data-testid="search-result"
              >
                <Icon className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden />
                <div className="min-w-0 flex-1">
                  <div className="flex items-center gap-2 text-xs text-muted-foreground">
                    <span>{KIND_LABELS[result.kind]}</span>
                    {result.title ? <span className="truncate">· {result.title}</span> : null}
                    {result.kind === "message" && result.private ? (
                      <span className="inline-flex items-center gap-1 rounded bg-warning-soft px-1 text-warning-foreground">
                        <Lock className="size-3" aria-hidden />
                        Private note
                      </span>
                    ) : null}
                  </div>
                  <Snippet snippet={result.snippet} className="line-clamp-2 break-words" />
                </div>
              </div>
            );
          })}
        </div>
        {q && search.isSuccess && results.length === 0 ? (
          <p className="p-4 text-sm text-muted-foreground" data-testid="search-empty">
            Nothing matches “{q}”.
          </p>
        ) : null}
        {!q ? (
          <p className="p-4 text-xs text-muted-foreground">
            Type to search. ↑ ↓ to move, Enter to open, Esc to close.
          </p>
        ) : null}
      </div>
    </div>
  );
}
