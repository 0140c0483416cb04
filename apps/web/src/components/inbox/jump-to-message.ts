"use client";

// `/inbox/<id>?message=<messageId>` (a search result) opens the thread at that
// message: older pages load until it is there, then the virtualized thread
// scrolls it into view and it is highlighted for a moment. The thread is
// virtualized, so the message may not be in the page until it is scrolled to:
// the highlight is state the row renders, not an attribute set on an element.
import { useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";

const HIGHLIGHT_MS = 2_500;

export type OlderMessages = { cursor: number | null; loading: boolean; load: () => void };

export function useJumpToMessage(
  messages: { id: string }[],
  older: OlderMessages,
  scrollToMessage: (id: string) => boolean,
): { highlightedId: string | null; pending: boolean } {
  const target = useSearchParams().get("message");
  const [done, setDone] = useState<string | null>(null);
  const [highlightedId, setHighlightedId] = useState<string | null>(null);
  const scrollTo = useRef(scrollToMessage);
  scrollTo.current = scrollToMessage;
  const present = target !== null && messages.some((m) => m.id === target);
  const { cursor, loading, load } = older;
  // Nothing more to load and still absent (deleted, or another conversation's): give up.
  const missing = target !== null && !present && cursor === null && !loading;

  useEffect(() => {
    if (!target || done === target) return;
    if (!present) {
      if (cursor !== null && !loading) load();
      return;
    }
    if (!scrollTo.current(target)) return;
    setDone(target);
    setHighlightedId(target);
  }, [target, done, present, cursor, loading, load]);

  useEffect(() => {
    if (!highlightedId) return;
    const timer = setTimeout(() => setHighlightedId(null), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [highlightedId]);

  return { highlightedId, pending: target !== null && done !== target && !missing };
}
