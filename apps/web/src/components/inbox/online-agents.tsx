"use client";

// Who on the team has the dashboard open, from the live presence the inbox
// already tracks: a few initials and a count, the names on hover and for
// screen readers.
import { useMe } from "@/components/auth/auth-gate";
import { initials } from "@/lib/format";
import { useOnlineAgents } from "./live";
import { useAgentNames } from "./team";

const SHOWN = 3;

export function OnlineAgents() {
  const online = useOnlineAgents();
  const names = useAgentNames();
  const myId = useMe().user.id;
  // Me first, then teammates by name; ids the team list does not know yet wait for it.
  const people = [...online]
    .filter((id) => names.has(id))
    .map((id) => ({ id, name: id === myId ? `${names.get(id)} (you)` : (names.get(id) as string) }))
    .sort((a, b) => (a.id === myId ? -1 : b.id === myId ? 1 : a.name.localeCompare(b.name)));
  if (people.length === 0) return null;
  const label = `Online: ${people.map((p) => p.name).join(", ")}`;

  return (
    <div
      className="flex items-center gap-1.5"
      role="status"
      aria-label={label}
      title={label}
      data-testid="online-agents"
      data-count={people.length}
    >
      <span className="flex -space-x-1.5" aria-hidden>
        {people.slice(0, SHOWN).map((p) => (
          <span
            key={p.id}
            className="relative flex size-6 items-center justify-center rounded-full border-2 border-background bg-secondary text-[10px] font-semibold text-secondary-foreground"
          >
            {initials(p.name)}
            <span className="absolute -right-0.5 -bottom-0.5 size-2 rounded-full border border-background bg-success" />
          </span>
        ))}
      </span>
      <span className="text-xs text-muted-foreground" aria-hidden>
        {people.length} online
      </span>
    </div>
  );
}
