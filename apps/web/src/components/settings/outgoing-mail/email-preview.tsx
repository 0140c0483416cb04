"use client";

import { useQuery } from "@tanstack/react-query";
import { Lock } from "lucide-react";
import { useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { messageTime } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { EmailStatusBadge, kindLabel, transportLabel } from "./email-status";
import { RetryEmail } from "./retry-email";

/**
 * One email as it was sent: its headers, then the HTML part in a sandboxed
 * frame (no scripts, no same-origin access: an email's HTML is not ours to
 * trust) or the plain-text part. A sensitive email shows no body at all.
 */
export function EmailPreview({ id }: { id: string }) {
  const trpc = useTRPC();
  const email = useQuery(trpc.email.outgoingMessage.queryOptions({ id }));
  const [part, setPart] = useState<"html" | "text">("html");

  if (email.isPending) {
    return <p className="p-4 text-sm text-muted-foreground">Loading the email…</p>;
  }
  if (email.isError) return <ErrorMessage error={email.error} className="p-4" />;
  const e = email.data;
  return (
    <article
      className="grid min-w-0 gap-3 p-4"
      data-testid="email-preview"
      aria-label="Email preview"
    >
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="min-w-0 flex-1 truncate text-base font-semibold">{e.subject}</h3>
        <EmailStatusBadge status={e.status} />
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-muted-foreground">To</dt>
        <dd className="truncate">{e.toAddress}</dd>
        <dt className="text-muted-foreground">Kind</dt>
        <dd>{kindLabel(e.kind)}</dd>
        <dt className="text-muted-foreground">Queued</dt>
        <dd>
          <time dateTime={e.createdAt}>{messageTime(e.createdAt)}</time>
        </dd>
        {e.sentAt ? (
          <>
            <dt className="text-muted-foreground">Sent</dt>
            <dd>
              <time dateTime={e.sentAt}>{messageTime(e.sentAt)}</time> via{" "}
              {transportLabel(e.transport)}
            </dd>
          </>
        ) : null}
        <dt className="text-muted-foreground">Attempts</dt>
        <dd>{e.attempts}</dd>
        {e.replyTo ? (
          <>
            <dt className="text-muted-foreground">Reply-To</dt>
            <dd className="truncate">{e.replyTo}</dd>
          </>
        ) : null}
        <dt className="text-muted-foreground">Message-ID</dt>
        <dd className="truncate font-mono text-xs leading-5">{e.messageIdHeader}</dd>
      </dl>
      {e.lastError ? (
        <p
          className="rounded-md border border-destructive/40 bg-destructive/5 px-3 py-2 text-sm text-destructive"
          data-testid="email-error"
        >
          {e.status === "skipped" ? "Not sent: " : "Last error: "}
          {e.lastError}
        </p>
      ) : null}
      {e.status === "failed" ? <RetryEmail id={e.id} to={e.toAddress} /> : null}
      {e.html === null || e.text === null ? (
        <p
          className="flex items-center gap-2 rounded-md border bg-muted/60 px-3 py-2 text-sm text-muted-foreground"
          data-testid="email-sensitive"
        >
          <Lock className="size-4 shrink-0" aria-hidden />
          This email holds a sign-in secret (a password reset link), so its content is not kept or
          shown.
        </p>
      ) : (
        <div className="grid gap-2">
          <div className="flex gap-1" role="group" aria-label="Part to show">
            {(["html", "text"] as const).map((p) => (
              <button
                key={p}
                type="button"
                aria-pressed={part === p}
                onClick={() => setPart(p)}
                className="rounded-md px-2 py-1 text-xs font-medium text-muted-foreground hover:bg-accent aria-pressed:bg-accent aria-pressed:text-foreground"
              >
                {p === "html" ? "HTML" : "Plain text"}
              </button>
            ))}
          </div>
          {part === "html" ? (
            <iframe
              title={`HTML of the email “${e.subject}”`}
              srcDoc={e.html}
              sandbox=""
              className="h-[28rem] w-full rounded-md border bg-white"
              data-testid="email-html"
            />
          ) : (
            <pre
              className="max-h-[28rem] overflow-auto whitespace-pre-wrap rounded-md border bg-background p-3 text-xs"
              data-testid="email-text"
            >
              {e.text}
            </pre>
          )}
        </div>
      )}
    </article>
  );
}
