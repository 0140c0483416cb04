"use client";

import { useId } from "react";
import { NativeSelect } from "@/components/ui/native-select";
import type { RouterOutputs } from "@/lib/trpc";

type Inbox = RouterOutputs["inboxes"]["list"][number];

/** Which inbox's widget the page edits. */
export function InboxPicker({
  inboxes,
  value,
  onChange,
}: {
  inboxes: Inbox[];
  value: string;
  onChange: (inboxId: string) => void;
}) {
  const id = useId();
  return (
    <div className="grid gap-1.5">
      <label htmlFor={id} className="text-sm font-medium">
        Inbox
      </label>
      <NativeSelect
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        data-testid="inbox-picker"
        className="min-w-48"
      >
        {inboxes.map((i) => (
          <option key={i.id} value={i.id}>
            {i.name}
            {i.isDefault ? " (default)" : ""}
          </option>
        ))}
      </NativeSelect>
    </div>
  );
}
