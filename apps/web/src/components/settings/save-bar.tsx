"use client";

import { CircleCheck } from "lucide-react";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";

/**
 * The foot of a settings form: Save and Discard, and what happened to the last
 * save (saving, saved, unsaved changes, or why it was not saved).
 */
export function SaveBar({
  pending,
  dirty,
  saved,
  failed,
  fieldProblems,
  formError,
  onDiscard,
  submitTestId,
}: {
  pending: boolean;
  dirty: boolean;
  /** The last save succeeded. */
  saved: boolean;
  /** The last save failed (on the server or before it was sent). */
  failed: boolean;
  /** How many fields show an error. */
  fieldProblems: number;
  /** A problem that belongs to no field. */
  formError?: string;
  onDiscard: () => void;
  submitTestId?: string;
}) {
  return (
    <div className="sticky bottom-0 z-10 -mx-1 flex flex-wrap items-center gap-3 border-t bg-background/95 px-1 py-3 backdrop-blur">
      <Button type="submit" aria-disabled={pending} data-testid={submitTestId}>
        {pending ? "Saving…" : "Save changes"}
      </Button>
      <Button type="button" variant="ghost" disabled={!dirty || pending} onClick={onDiscard}>
        Discard
      </Button>
      <div role="status" aria-live="polite" className="text-sm" data-testid="save-status">
        {pending ? null : failed ? (
          <span className="text-destructive">
            {fieldProblems > 0
              ? `Not saved: ${fieldProblems === 1 ? "a field needs" : `${fieldProblems} fields need`} fixing.`
              : "Not saved."}
          </span>
        ) : dirty ? (
          <span className="text-muted-foreground">Unsaved changes</span>
        ) : saved ? (
          <span className="flex items-center gap-1.5 text-foreground">
            <CircleCheck className="size-4 text-primary" aria-hidden />
            Saved
          </span>
        ) : null}
      </div>
      {failed && formError ? (
        <ErrorMessage error={{ message: formError }} className="basis-full" testId="save-error" />
      ) : null}
    </div>
  );
}
