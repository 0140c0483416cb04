"use client";

import { messageTime } from "@/lib/format";
import { cn } from "@/lib/utils";
import { EmailStatusBadge, kindLabel, type OutgoingEmail, transportLabel } from "./email-status";
import { RetryEmail } from "./retry-email";

/** The emails of one page: a row opens its preview; a failed one has its retry at hand. */
export function OutgoingMailTable({
  rows,
  selected,
  onSelect,
}: {
  rows: OutgoingEmail[];
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  return (
    <div className="-mx-5 -my-4 overflow-x-auto">
      <table className="w-full text-sm" data-testid="outgoing-mail">
        <thead className="border-b text-left text-xs text-muted-foreground">
          <tr>
            <th className="w-full px-5 py-2 font-medium">Email</th>
            <th className="px-2 py-2 font-medium">Status</th>
            <th className="px-2 py-2 font-medium">Transport</th>
            <th className="px-2 py-2 text-right font-medium">Attempts</th>
            <th className="px-5 py-2 font-medium">Queued</th>
          </tr>
        </thead>
        <tbody className="divide-y">
          {rows.map((email) => (
            <tr
              key={email.id}
              data-testid="outgoing-mail-row"
              data-email-id={email.id}
              data-status={email.status}
              className={cn("align-top", selected === email.id && "bg-accent/60")}
            >
              <td className="w-full max-w-0 px-5 py-2">
                <button
                  type="button"
                  onClick={() => onSelect(email.id)}
                  aria-pressed={selected === email.id}
                  className="grid w-full min-w-0 text-left outline-none focus-visible:ring-2 focus-visible:ring-ring"
                >
                  <span className="truncate font-medium">{email.subject}</span>
                  <span className="truncate text-xs text-muted-foreground">
                    {kindLabel(email.kind)} to {email.toAddress}
                  </span>
                </button>
                {email.lastError ? (
                  <p
                    className="mt-1 line-clamp-2 text-xs text-destructive"
                    data-testid="email-last-error"
                  >
                    {email.lastError}
                  </p>
                ) : null}
                {email.status === "failed" ? (
                  <div className="mt-2">
                    <RetryEmail id={email.id} to={email.toAddress} />
                  </div>
                ) : null}
              </td>
              <td className="px-2 py-2">
                <EmailStatusBadge status={email.status} />
              </td>
              <td className="whitespace-nowrap px-2 py-2 text-muted-foreground">
                {transportLabel(email.transport)}
              </td>
              <td className="px-2 py-2 text-right tabular-nums">{email.attempts}</td>
              <td className="whitespace-nowrap px-5 py-2 text-muted-foreground">
                <time dateTime={email.createdAt}>{messageTime(email.createdAt)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
