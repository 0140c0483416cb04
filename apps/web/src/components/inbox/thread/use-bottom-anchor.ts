"use client";

import type { Virtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { Message } from "../cache";
import type { OlderMessages } from "../jump-to-message";

/** Within this distance of the end the agent counts as at the bottom (and follows new messages). */
export const AT_BOTTOM_PX = 48;
/** Older messages load when the view comes this close to the top. */
const LOAD_OLDER_PX = 800;

/**
 * The parts of a bottom-anchored thread the virtualizer does not do itself.
 * The virtualizer (`anchorTo: "end"`, `followOnAppend`) keeps the row on
 * screen in place when rows are added above, follows appended rows and
 * measured rows while at the end. This hook adds:
 * - opening at the newest message (unless `suspended`: a jump to a message
 *   decides where the view goes);
 * - following the agent's own message even when scrolled up;
 * - counting messages that arrive while the agent is scrolled up (`unseen`);
 * - staying at the bottom while the assistant's drafts below the rows grow;
 * - loading the page before when the view nears the top.
 */
export function useBottomAnchor({
  virtualizer,
  scroller,
  below,
  messages,
  myId,
  older,
  suspended,
}: {
  virtualizer: Virtualizer<HTMLDivElement, Element>;
  scroller: React.RefObject<HTMLDivElement | null>;
  /** What sits under the rows (drafts), whose growth the virtualizer does not see. */
  below: React.RefObject<HTMLDivElement | null>;
  messages: Message[];
  myId: string;
  older: OlderMessages;
  suspended: boolean;
}) {
  const atBottom = useRef(true);
  const [unseen, setUnseen] = useState(0);
  const previousLast = useRef<Message | undefined>(undefined);
  const opened = useRef(false);
  const live = useRef({ older, suspended });
  live.current = { older, suspended };

  const loadOlderIfNear = useCallback(() => {
    const el = scroller.current;
    const { older, suspended } = live.current;
    if (!el || suspended || older.cursor === null || older.loading) return;
    if (el.scrollTop < LOAD_OLDER_PX) older.load();
  }, [scroller]);

  const toBottom = useCallback(() => {
    atBottom.current = true;
    setUnseen(0);
    virtualizer.scrollToEnd();
  }, [virtualizer]);

  // Open at the newest message, once there are messages (and no jump under way).
  useLayoutEffect(() => {
    if (opened.current || suspended || messages.length === 0) return;
    opened.current = true;
    toBottom();
  }, [messages.length, suspended, toBottom]);

  // Messages appended at the end: the agent's own are followed, others counted when scrolled up.
  useLayoutEffect(() => {
    const before = previousLast.current;
    const last = messages.at(-1);
    previousLast.current = last;
    if (!before || !last || last.id === before.id || last.seq < before.seq) return;
    if (last.senderType === "user" && last.userId === myId) {
      toBottom();
      return;
    }
    if (atBottom.current) return;
    const from = messages.findIndex((m) => m.id === before.id);
    setUnseen((n) => n + (from < 0 ? 1 : messages.length - 1 - from));
  }, [messages, myId, toBottom]);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onScroll = () => {
      atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight <= AT_BOTTOM_PX;
      if (atBottom.current) setUnseen(0);
      loadOlderIfNear();
    };
    el.addEventListener("scroll", onScroll, { passive: true });
    return () => el.removeEventListener("scroll", onScroll);
  }, [scroller, loadOlderIfNear]);

  useEffect(() => {
    const el = below.current;
    const view = scroller.current;
    if (!el || !view) return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current && !live.current.suspended) view.scrollTop = view.scrollHeight;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [below, scroller]);

  // A thread too short to scroll far sends no scroll events: fill it a page at a time.
  useEffect(() => {
    const el = scroller.current;
    if (!el || messages.length === 0 || older.loading) return;
    if (el.scrollHeight - el.clientHeight < LOAD_OLDER_PX) loadOlderIfNear();
  }, [scroller, messages.length, older.loading, loadOlderIfNear]);

  return {
    unseen,
    toBottom,
    /** Stops following the newest message (the view is being moved elsewhere). */
    release() {
      opened.current = true;
      atBottom.current = false;
    },
  };
}
