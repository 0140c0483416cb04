"use client";

// Filters over any view (tag, assignee, inbox, channel), written to the URL so
// the list they make can be shared and survives a reload.
import { useQuery } from "@tanstack/react-query";
import { X } from "lucide-react";
import { usePathname, useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { NativeSelect } from "@/components/ui/native-select";
import { useTRPC } from "@/lib/trpc";
import { CHANNELS, hasFilters, type InboxFilter, type InboxQuery, inboxSearch } from "./views";

/** Navigates to the current page with `query` in the URL (replacing, not stacking history). */
export function useSetInboxQuery() {
  const router = useRouter();
  const pathname = usePathname();
  return (query: InboxQuery) => router.replace(`${pathname}${inboxSearch(query)}`);
}

export function InboxFilters({ query }: { query: InboxQuery }) {
  const trpc = useTRPC();
  const setQuery = useSetInboxQuery();
  const tags = useQuery(trpc.tags.list.queryOptions());
  const team = useQuery(trpc.team.list.queryOptions(undefined, { staleTime: 5 * 60_000 }));
  const inboxes = useQuery(trpc.inboxes.list.queryOptions());

  const set = (key: InboxFilter, value: string) =>
    setQuery({ ...query, [key]: value || undefined });

  return (
    <fieldset className="grid grid-cols-2 gap-2 px-4 py-3" data-testid="inbox-filters">
      <legend className="sr-only">Filters</legend>
      <FilterSelect
        label="Tag"
        value={query.tagId}
        onChange={(v) => set("tagId", v)}
        options={(tags.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
      />
      <FilterSelect
        label="Assignee"
        value={query.assigneeId}
        onChange={(v) => set("assigneeId", v)}
        options={(team.data ?? [])
          .filter((m) => !m.disabledAt)
          .map((m) => ({ value: m.userId, label: m.name }))}
      />
      <FilterSelect
        label="Inbox"
        value={query.inboxId}
        onChange={(v) => set("inboxId", v)}
        options={(inboxes.data ?? []).map((i) => ({ value: i.id, label: i.name }))}
      />
      <FilterSelect
        label="Channel"
        value={query.channel}
        onChange={(v) => set("channel", v)}
        options={CHANNELS.map((c) => ({ value: c.id, label: c.label }))}
      />
      {hasFilters(query) ? (
        <Button
          variant="ghost"
          size="sm"
          className="col-span-2 justify-self-start"
          onClick={() => setQuery({ view: query.view })}
          data-testid="clear-filters"
        >
          <X aria-hidden />
          Clear filters
        </Button>
      ) : null}
    </fieldset>
  );
}

function FilterSelect({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: string | undefined;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
}) {
  // A value from a shared link that this account does not have still shows as selected.
  const known = !value || options.some((o) => o.value === value);
  return (
    <NativeSelect
      aria-label={`Filter by ${label.toLowerCase()}`}
      data-testid={`filter-${label.toLowerCase()}`}
      value={value ?? ""}
      onChange={(e) => onChange(e.target.value)}
      className="h-8 w-full min-w-0 text-xs"
    >
      <option value="">Any {label.toLowerCase()}</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
      {known ? null : <option value={value}>Unknown {label.toLowerCase()}</option>}
    </NativeSelect>
  );
}
