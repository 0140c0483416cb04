import Link from "next/link";
import { shortAge } from "@/lib/format";
import { cn } from "@/lib/utils";
import type { Customer } from "./customer-profile";

/** The customer's recent conversations, the current one marked. */
export function CustomerConversations({
  customer,
  currentId,
}: {
  customer: Customer;
  currentId?: string;
}) {
  if (customer.conversations.length === 0) {
    return <p className="text-sm text-muted-foreground">No conversations yet.</p>;
  }
  return (
    <ul className="grid gap-1" data-testid="customer-conversations">
      {customer.conversations.map((c) => (
        <li key={c.id}>
          <Link
            href={`/inbox/${c.id}`}
            aria-current={c.id === currentId ? "page" : undefined}
            className={cn(
              "flex items-center justify-between gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-accent",
              c.id === currentId && "bg-accent font-medium",
            )}
          >
            <span className="truncate">{c.subject ?? `Conversation ${c.id.slice(0, 8)}`}</span>
            <span className="shrink-0 text-xs capitalize text-muted-foreground">
              {c.status} · {shortAge(c.lastActivityAt)}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
