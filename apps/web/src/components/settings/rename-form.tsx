"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/** A name edited in place: the field, Save and Cancel (Escape cancels too). */
export function RenameForm({
  label,
  initial,
  pending,
  onSave,
  onCancel,
  testId,
}: {
  /** The field's accessible name, e.g. "Name of Website". */
  label: string;
  initial: string;
  pending: boolean;
  onSave: (name: string) => void;
  onCancel: () => void;
  testId?: string;
}) {
  const [name, setName] = useState(initial);
  return (
    <form
      className="flex min-w-0 flex-1 flex-wrap items-center gap-2"
      data-testid={testId}
      onSubmit={(e) => {
        e.preventDefault();
        if (!pending && name.trim()) onSave(name.trim());
      }}
    >
      <Input
        aria-label={label}
        value={name}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") onCancel();
        }}
        autoFocus
        className="h-8 min-w-40 flex-1"
      />
      <Button type="submit" size="sm" disabled={pending || !name.trim()}>
        {pending ? "Saving…" : "Save"}
      </Button>
      <Button type="button" size="sm" variant="ghost" onClick={onCancel}>
        Cancel
      </Button>
    </form>
  );
}
