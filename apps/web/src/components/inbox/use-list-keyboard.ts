"use client";

// Next/previous conversation from the keyboard: `j`/`k` anywhere in the inbox
// (not while typing), ArrowDown/ArrowUp while the list has focus. The move
// stays in the current list: its view and filters are kept in the URL.
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { isTyping } from "./shortcuts-help";
import { conversationHref, type InboxQuery } from "./views";

const NEXT_KEYS = new Set(["j", "ArrowDown"]);
const PREVIOUS_KEYS = new Set(["k", "ArrowUp"]);
/** Frames to wait for the newly selected row to be rendered before focusing it. */
const FOCUS_TRIES = 10;

export function useListKeyboard({
  rows,
  query,
  selectedId,
  list,
  scrollToIndex,
}: {
  rows: readonly { id: string }[];
  query: InboxQuery;
  selectedId: string | undefined;
  /** The list's scroll container: arrows only move the selection while focus is inside it. */
  list: React.RefObject<HTMLElement | null>;
  scrollToIndex: (index: number) => void;
}) {
  const router = useRouter();
  const live = useRef({ rows, query, selectedId, scrollToIndex });
  live.current = { rows, query, selectedId, scrollToIndex };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return;
      const step = NEXT_KEYS.has(e.key) ? 1 : PREVIOUS_KEYS.has(e.key) ? -1 : 0;
      if (step === 0) return;
      const focusInList = list.current?.contains(document.activeElement) ?? false;
      if (e.key.startsWith("Arrow") ? !focusInList : isTyping(e)) return;

      const { rows, query, selectedId, scrollToIndex } = live.current;
      const current = rows.findIndex((r) => r.id === selectedId);
      // Nothing selected yet: the first step down opens the first conversation.
      const next = current < 0 ? (step > 0 ? 0 : -1) : current + step;
      const row = rows[next];
      if (!row) return;
      e.preventDefault();
      router.push(conversationHref(row.id, query));
      scrollToIndex(next);
      if (focusInList) focusRow(list.current, row.id);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [list, router]);
}

/** Moves focus to a row once the virtualized list has rendered it. */
function focusRow(list: HTMLElement | null, id: string, tries = FOCUS_TRIES) {
  requestAnimationFrame(() => {
    const row = list?.querySelector<HTMLElement>(`[data-conversation-id="${CSS.escape(id)}"]`);
    if (row) row.focus();
    else if (tries > 0) focusRow(list, id, tries - 1);
  });
}
