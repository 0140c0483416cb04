"use client";

// `/inbox/<id>?message=<messageId>` (a search result) opens the thread at that
// message: older pages load until it is there, then it is scrolled into view
// and highlighted for a moment.
import { useSearchParams } from "next/navigation";
import { useEffect, useRef } from "react";

const HIGHLIGHT_MS = 2_500;

export function useJumpToMessage(
  messages: { id: string }[],
  older: { cursor: number | null; loading: boolean; load: () => void },
) {
  const target = useSearchParams().get("message");
  const done = useRef<string | null>(null);
  const present = target !== null && messages.some((m) => m.id === target);
  const { cursor, loading, load } = older;

  useEffect(() => {
    if (!target || done.current === target) return;
    if (!present) {
      // Not loaded yet: fetch the page before; give up when there is none.
      if (cursor !== null && !loading) load();
      return;
    }
    const element = document.querySelector<HTMLElement>(
      `[data-message-id="${CSS.escape(target)}"]`,
    );
    if (!element) return;
    done.current = target;
    element.scrollIntoView({ block: "center" });
    element.dataset.highlighted = "true";
    const timer = setTimeout(() => delete element.dataset.highlighted, HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [target, present, cursor, loading, load]);
}
