"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { Field } from "../fields";

export type SavedReplyDraft = { shortcut: string; body: string };

/** A saved reply's shortcut and body, for a new one or an edit. */
export function SavedReplyForm({
  initial = { shortcut: "", body: "" },
  pending,
  errors,
  submitLabel,
  onSubmit,
  onCancel,
  testId,
}: {
  initial?: SavedReplyDraft;
  pending: boolean;
  /** The server's errors by field. */
  errors: Record<string, string>;
  submitLabel: string;
  onSubmit: (draft: SavedReplyDraft) => void;
  onCancel?: () => void;
  testId?: string;
}) {
  const [draft, setDraft] = useState(initial);
  const complete = draft.shortcut.trim() !== "" && draft.body.trim() !== "";
  return (
    <form
      className="grid gap-4"
      data-testid={testId}
      onSubmit={(e) => {
        e.preventDefault();
        if (!pending && complete) {
          onSubmit({ shortcut: draft.shortcut.trim(), body: draft.body.trim() });
        }
      }}
    >
      <Field
        label="Shortcut"
        name="shortcut"
        error={errors.shortcut}
        hint="One word: type / and this word in the composer to insert the reply."
        className="sm:max-w-64"
      >
        {(c) => (
          <div className="flex items-center gap-1">
            <span className="text-sm text-muted-foreground" aria-hidden>
              /
            </span>
            <Input
              {...c}
              value={draft.shortcut}
              onChange={(e) => setDraft((d) => ({ ...d, shortcut: e.target.value }))}
              spellCheck={false}
              autoComplete="off"
            />
          </div>
        )}
      </Field>
      <Field label="Reply" name="body" error={errors.body} hint="Markdown, as in the composer.">
        {(c) => (
          <Textarea
            {...c}
            rows={4}
            value={draft.body}
            onChange={(e) => setDraft((d) => ({ ...d, body: e.target.value }))}
          />
        )}
      </Field>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={pending || !complete}>
          {pending ? "Saving…" : submitLabel}
        </Button>
        {onCancel ? (
          <Button type="button" variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
    </form>
  );
}
