"use client";

import { useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";

/** Every shortcut of the inbox, by what it acts on; a key list is pressed together. */
export const SHORTCUT_GROUPS = [
  {
    title: "Conversation",
    shortcuts: [
      { keys: ["e"], does: "Close or reopen the conversation" },
      { keys: ["s"], does: "Snooze" },
      { keys: ["a"], does: "Choose the assignee" },
      { keys: ["m"], does: "Assign to me" },
      { keys: ["p"], does: "Toggle priority" },
      { keys: ["t"], does: "Tags" },
      { keys: ["u"], does: "Mark unread and go back to the list" },
    ],
  },
  {
    title: "Navigation",
    shortcuts: [
      { keys: ["j"], does: "Next conversation in the list" },
      { keys: ["k"], does: "Previous conversation in the list" },
      { keys: ["↓"], does: "Next conversation, while the list has focus" },
      { keys: ["↑"], does: "Previous conversation, while the list has focus" },
      { keys: ["?"], does: "Show these shortcuts" },
    ],
  },
  {
    title: "Composer",
    shortcuts: [{ keys: ["Ctrl/⌘", "Enter"], does: "Send the reply or note" }],
  },
  {
    title: "Search",
    shortcuts: [{ keys: ["Ctrl/⌘", "K"], does: "Search messages, customers and companies" }],
  },
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
      className="m-auto max-h-[90vh] w-[calc(100vw-2rem)] max-w-md overflow-y-auto rounded-lg border bg-background p-5 text-foreground shadow-xl backdrop:bg-overlay"
      data-testid="shortcuts-help"
    >
      <h2 id="shortcuts-title" className="mb-3 font-semibold">
        Keyboard shortcuts
      </h2>
      <div className="flex flex-col gap-4">
        {SHORTCUT_GROUPS.map((group) => (
          <section key={group.title} aria-labelledby={`shortcuts-${group.title}`}>
            <h3
              id={`shortcuts-${group.title}`}
              className="mb-1.5 text-xs font-medium tracking-wide text-muted-foreground uppercase"
            >
              {group.title}
            </h3>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
              {group.shortcuts.map((s) => (
                <div key={s.does} className="contents" data-testid="shortcut">
                  <dt className="flex items-center gap-1">
                    {s.keys.map((key) => (
                      <kbd key={key} className="rounded border bg-muted px-1.5 font-mono text-xs">
                        {key}
                      </kbd>
                    ))}
                  </dt>
                  <dd className="text-muted-foreground">{s.does}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
      <p className="mt-3 text-xs text-muted-foreground">Single keys do nothing while you type.</p>
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
