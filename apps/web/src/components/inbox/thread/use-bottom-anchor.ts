"use client";

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { Message } from "../cache";
import type { OlderMessages } from "../jump-to-message";

/** Within this distance of the end the agent counts as at the bottom (and follows new messages). */
const AT_BOTTOM_PX = 48;
/** Older messages load when the view comes this close to the top. */
const LOAD_OLDER_PX = 800;

/**
 * Where a bottom-anchored thread scrolls as its messages change:
 * - at the bottom (or just after sending), it follows the newest message,
 *   also as rows are measured and as drafts below the list grow;
 * - scrolled up, messages arriving at the end are counted (`unseen`) instead;
 * - messages added above (an older page) shift the view by their height, so
 *   what the agent reads stays where it is;
 * - near the top, the page before is loaded.
 * `offsetOfIndex` is the virtualizer's start of a row, for the new list.
 * While `suspended` (a jump to a message is under way), it neither pins nor loads.
 */
export function useBottomAnchor({
  scroller,
  content,
  messages,
  myId,
  older,
  suspended,
  offsetOfIndex,
}: {
  scroller: React.RefObject<HTMLDivElement | null>;
  content: React.RefObject<HTMLDivElement | null>;
  messages: Message[];
  myId: string;
  older: OlderMessages;
  suspended: boolean;
  offsetOfIndex: (index: number) => number | null;
}) {
  const stuck = useRef(true);
  const [unseen, setUnseen] = useState(0);
  const previous = useRef<{ first?: Message; last?: Message }>({});
  const live = useRef({ older, suspended, offsetOfIndex });
  live.current = { older, suspended, offsetOfIndex };

  const pin = useCallback(() => {
    const el = scroller.current;
    if (el && !live.current.suspended) el.scrollTop = el.scrollHeight;
  }, [scroller]);

  const loadOlderIfNear = useCallback(() => {
    const el = scroller.current;
    const { older, suspended } = live.current;
    if (!el || suspended || older.cursor === null || older.loading) return;
    if (el.scrollTop < LOAD_OLDER_PX) older.load();
  }, [scroller]);

  // Before paint, after the list changed.
  useLayoutEffect(() => {
    const el = scroller.current;
    const before = previous.current;
    const first = messages[0];
    const last = messages.at(-1);
    previous.current = { first, last };
    if (!el || !first || !last || !before.first || !before.last) {
      if (stuck.current) pin();
      return;
    }
    if (last.id !== before.last.id && last.seq > before.last.seq) {
      const own = last.senderType === "user" && last.userId === myId;
      if (own) stuck.current = true;
      else if (!stuck.current) {
        const from = messages.findIndex((m) => m.id === before.last?.id);
        setUnseen((n) => n + (from < 0 ? 1 : messages.length - 1 - from));
      }
    }
    if (first.id !== before.first.id && !stuck.current) {
      const index = messages.findIndex((m) => m.id === before.first?.id);
      const added = index > 0 ? live.current.offsetOfIndex(index) : null;
      const top = live.current.offsetOfIndex(0);
      if (added !== null && top !== null) el.scrollTop += added - top;
    }
    if (stuck.current) pin();
  }, [messages, myId, scroller, pin]);

  // Rows measured, images with their box, drafts growing: stay at the bottom if there.
  useEffect(() => {
    const el = content.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      if (stuck.current) pin();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [content, pin]);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onScroll = () => {
      const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= AT_BOTTOM_PX;
      stuck.current = atBottom;
      if (atBottom) setUnseen(0);
      loadOlderIfNear();
    };
    el.addEventListener("scroll", onScroll, { passive: true });
    return () => el.removeEventListener("scroll", onScroll);
  }, [scroller, loadOlderIfNear]);

  // A thread shorter than the view never scrolls: fill it. Also after each page.
  useEffect(() => {
    if (messages.length > 0 && !older.loading) loadOlderIfNear();
  }, [messages.length, older.loading, loadOlderIfNear]);

  // A jump that found nothing gives the view back to the bottom.
  useEffect(() => {
    if (!suspended && stuck.current) pin();
  }, [suspended, pin]);

  return {
    unseen,
    toBottom() {
      stuck.current = true;
      setUnseen(0);
      pin();
    },
    /** Stops following the newest message (the view is being moved elsewhere). */
    release() {
      stuck.current = false;
    },
  };
}
