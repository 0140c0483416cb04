"use client";

import { useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";

export const CONVERSATION_SHORTCUTS = [
  { key: "e", does: "Close or reopen the conversation" },
  { key: "s", does: "Snooze" },
  { key: "a", does: "Choose the assignee" },
  { key: "m", does: "Assign to me" },
  { key: "p", does: "Toggle priority" },
  { key: "t", does: "Tags" },
  { key: "u", does: "Mark unread and go back to the list" },
  { key: "?", does: "Show these shortcuts" },
] as const;

/** The `?` dialog listing the keyboard shortcuts (the browser's modal <dialog>). */
export function ShortcutsHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);
  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      aria-labelledby="shortcuts-title"
      className="m-auto w-96 rounded-lg border bg-background p-5 text-foreground shadow-xl backdrop:bg-black/40"
      data-testid="shortcuts-help"
    >
      <h2 id="shortcuts-title" className="mb-3 font-semibold">
        Keyboard shortcuts
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
        {CONVERSATION_SHORTCUTS.map((s) => (
          <div key={s.key} className="contents">
            <dt>
              <kbd className="rounded border bg-muted px-1.5 font-mono text-xs">{s.key}</kbd>
            </dt>
            <dd className="text-muted-foreground">{s.does}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-3 text-xs text-muted-foreground">They do nothing while you type.</p>
      <div className="mt-4 flex justify-end">
        <Button size="sm" variant="outline" onClick={onClose}>
          Close
        </Button>
      </div>
    </dialog>
  );
}

/** Whether a key press belongs to a field the agent is typing in. */
export function isTyping(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  return (
    target.isContentEditable ||
    ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) ||
    target.closest("dialog[open]") !== null
  );
}
