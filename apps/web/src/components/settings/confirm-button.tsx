"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * A destructive action that asks once more in place: the first click shows
 * "Delete <what>?" with Confirm and Cancel, so nothing goes by a stray click.
 */
export function ConfirmButton({
  label,
  question,
  onConfirm,
  pending,
  testId,
}: {
  /** The button's text, e.g. "Delete". */
  label: string;
  question: string;
  onConfirm: () => void;
  pending?: boolean;
  testId?: string;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button
        type="button"
        variant="ghost"
        size="sm"
        className="text-destructive"
        onClick={() => setAsking(true)}
        data-testid={testId}
      >
        {label}
      </Button>
    );
  }
  return (
    <span role="group" aria-label={question} className="flex flex-wrap items-center gap-2">
      <span className="text-sm">{question}</span>
      <Button
        type="button"
        variant="destructive"
        size="sm"
        disabled={pending}
        onClick={onConfirm}
        data-testid={testId ? `${testId}-confirm` : undefined}
      >
        {pending ? "Deleting…" : "Confirm"}
      </Button>
      <Button type="button" variant="ghost" size="sm" onClick={() => setAsking(false)}>
        Cancel
      </Button>
    </span>
  );
}
