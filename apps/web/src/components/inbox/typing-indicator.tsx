"use client";

import { customerLabel } from "@/lib/format";
import type { RouterOutputs } from "@/lib/trpc";
import { useTyping } from "./live";
import type { Typist } from "./live-store";
import { useAgentNames } from "./team";

type Customer = RouterOutputs["conversations"]["get"]["customer"];

function joinNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  if (names.length === 2) return `${names[0]} and ${names[1]}`;
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** "Jane is typing…" under the thread: the customer, and teammates (their notes too). */
export function TypingIndicator({
  conversationId,
  customer,
}: {
  conversationId: string;
  customer: Customer;
}) {
  const typists = useTyping(conversationId);
  const agentNames = useAgentNames();

  const nameOf = (t: Typist) => {
    if (t.sender.type === "customer") return customerLabel(customer);
    if (t.sender.type === "bot") return "AI";
    return agentNames.get(t.sender.id) ?? (t.sender.name || "A teammate");
  };
  const names = [...new Set(typists.map(nameOf))];
  const onlyNotes = typists.length > 0 && typists.every((t) => t.private);
  const verb = onlyNotes ? "writing a note" : "typing";
  const text =
    names.length === 0
      ? ""
      : names.length > 3
        ? `Several people are ${verb}…`
        : `${joinNames(names)} ${names.length === 1 ? "is" : "are"} ${verb}…`;

  return (
    <div className="h-6 shrink-0 bg-muted/40 px-6" aria-live="polite">
      {text ? (
        <p
          className="flex items-center gap-1.5 truncate text-xs text-muted-foreground"
          data-testid="typing-indicator"
        >
          <span className="flex gap-0.5" aria-hidden>
            <span className="size-1 animate-bounce rounded-full bg-muted-foreground [animation-delay:-0.3s]" />
            <span className="size-1 animate-bounce rounded-full bg-muted-foreground [animation-delay:-0.15s]" />
            <span className="size-1 animate-bounce rounded-full bg-muted-foreground" />
          </span>
          {text}
        </p>
      ) : null}
    </div>
  );
}
