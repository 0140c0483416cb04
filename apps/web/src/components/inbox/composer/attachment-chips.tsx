"use client";

import { Paperclip, X } from "lucide-react";
import { cn } from "@/lib/utils";
import type { PendingAttachment } from "./use-attachment-uploads";

/** The files going with the message, each removable, with its upload's progress. */
export function AttachmentChips({
  items,
  onRemove,
}: {
  items: PendingAttachment[];
  onRemove: (key: string) => void;
}) {
  if (items.length === 0) return null;
  return (
    <ul
      className="mb-2 flex flex-wrap gap-1.5"
      aria-label="Attachments"
      data-testid="composer-attachments"
    >
      {items.map((a) => (
        <li
          key={a.key}
          data-testid="composer-attachment"
          data-status={a.status}
          className={cn(
            "relative flex max-w-full items-center gap-1 overflow-hidden rounded-md border bg-muted py-0.5 pr-0.5 pl-2 text-xs",
            a.status === "failed" && "border-destructive text-destructive",
          )}
        >
          <Paperclip className="size-3 shrink-0" aria-hidden />
          <span className="max-w-40 truncate" title={a.filename}>
            {a.filename}
          </span>
          {a.status === "uploading" ? (
            <progress
              className="sr-only"
              max={1}
              value={a.progress}
              aria-label={`Uploading ${a.filename}`}
            />
          ) : null}
          {a.status === "failed" ? <span role="alert">{a.error}</span> : null}
          <button
            type="button"
            onClick={() => onRemove(a.key)}
            aria-label={`Remove ${a.filename}`}
            className="rounded-sm p-0.5 text-muted-foreground hover:bg-accent hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
          >
            <X className="size-3" aria-hidden />
          </button>
          {a.status === "uploading" ? (
            // The visible bar along the chip's bottom edge; the <progress> above is for screen readers.
            <span
              aria-hidden
              className="absolute bottom-0 left-0 h-0.5 bg-primary transition-[width]"
              style={{ width: `${Math.round(a.progress * 100)}%` }}
            />
          ) : null}
        </li>
      ))}
    </ul>
  );
}
