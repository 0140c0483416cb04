"use client";

// The thread, virtualized: only the messages near the viewport are in the page
// (a conversation may hold thousands), each measured as it renders. It opens
// at the newest message and stays there as messages arrive while the agent is
// at the bottom; scrolled up, arrivals are counted in a "new messages" pill
// instead. Scrolling near the top loads the page before, and the view is
// shifted by the height of what was added so nothing on screen moves.
import { useVirtualizer } from "@tanstack/react-virtual";
import { ArrowDown } from "lucide-react";
import { useCallback, useEffect, useRef, useState } from "react";
import { AssistantDrafts } from "@/components/assistant/bot-message";
import { useMe } from "@/components/auth/auth-gate";
import { customerLabel } from "@/lib/format";
import type { RouterOutputs } from "@/lib/trpc";
import type { Message } from "./cache";
import { type OlderMessages, useJumpToMessage } from "./jump-to-message";
import { useAgentNames } from "./team";
import { MessageBubble } from "./thread/message-bubble";
import { OlderMessagesRow } from "./thread/older-messages-row";
import { AT_BOTTOM_PX, useBottomAnchor } from "./thread/use-bottom-anchor";

export type { Message };

type Customer = RouterOutputs["conversations"]["get"]["customer"];

/** A first guess of a message row's height; every row is measured once rendered. */
const ESTIMATED_ROW_PX = 76;
/** Rows rendered beyond the viewport on each side. */
const OVERSCAN = 6;
/** The fixed-height row above the first message (load earlier / beginning of the conversation). */
export const TOP_ROW_PX = 48;

/** The Slack name of a message imported from Slack (a teammate matched to no agent has only that). */
function slackName(metadata: Record<string, unknown>): string | null {
  const slack = metadata.slack as { userName?: unknown } | undefined;
  return typeof slack?.userName === "string" ? slack.userName : null;
}

export function MessageList({
  messages,
  customer,
  older,
}: {
  messages: Message[];
  customer: Customer;
  older: OlderMessages;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const below = useRef<HTMLDivElement>(null);
  const myId = useMe().user.id;
  const agentNames = useAgentNames();
  const customerName = customerLabel(customer);
  const authorOf = (m: Message) => {
    if (m.senderType === "customer") return customerName;
    if (m.senderType === "bot") return "AI";
    if (m.userId === myId) return "You";
    return (m.userId && agentNames.get(m.userId)) || slackName(m.metadata) || "Agent";
  };

  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    overscan: OVERSCAN,
    paddingStart: TOP_ROW_PX,
    getItemKey: (index) => messages[index]?.id ?? index,
    // A chat: rows added above keep the view in place, rows added at the end are followed.
    anchorTo: "end",
    followOnAppend: true,
    scrollEndThreshold: AT_BOTTOM_PX,
  });

  const release = useRef(() => {});
  const scrollToMessage = useCallback(
    (id: string) => {
      const index = messages.findIndex((m) => m.id === id);
      if (index < 0) return false;
      release.current();
      virtualizer.scrollToIndex(index, { align: "center" });
      return true;
    },
    [messages, virtualizer],
  );
  const jump = useJumpToMessage(messages, older, scrollToMessage);
  const anchor = useBottomAnchor({
    virtualizer,
    scroller,
    below,
    messages,
    myId,
    older,
    // Opening at a search result: the jump decides where the view goes.
    suspended: jump.pending,
  });
  release.current = anchor.release;

  const items = virtualizer.getVirtualItems();
  return (
    <div className="relative flex min-h-0 flex-1 flex-col">
      <div
        ref={scroller}
        className="min-h-0 flex-1 overflow-y-auto bg-muted/40 px-3 sm:px-6"
        data-testid="message-list"
        role="region"
        aria-label="Messages"
        aria-busy={older.loading}
        // The scrollable thread must be reachable by keyboard to scroll it.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scroll region needs focus to scroll by keyboard.
        tabIndex={0}
      >
        {messages.length === 0 ? (
          <p className="py-8 text-center text-sm text-muted-foreground">No messages yet.</p>
        ) : (
          <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
            <OlderMessagesRow older={older} height={TOP_ROW_PX} />
            {items.map((item) => {
              const message = messages[item.index];
              if (!message) return null;
              return (
                <div
                  key={item.key}
                  data-index={item.index}
                  ref={virtualizer.measureElement}
                  className="absolute top-0 left-0 w-full pb-3"
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  <MessageBubble
                    message={message}
                    author={authorOf(message)}
                    highlighted={message.id === jump.highlightedId}
                  />
                </div>
              );
            })}
          </div>
        )}
        {/* A conversation has its customer's first message before the assistant writes. */}
        <div ref={below} className="pb-4">
          {messages[0] ? <AssistantDrafts conversationId={messages[0].conversationId} /> : null}
        </div>
      </div>
      {anchor.unseen > 0 ? (
        <button
          type="button"
          onClick={anchor.toBottom}
          data-testid="new-messages-pill"
          className="absolute bottom-3 left-1/2 z-10 flex -translate-x-1/2 items-center gap-1 rounded-full bg-primary px-3 py-1 text-xs font-medium text-primary-foreground shadow-md focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
        >
          <ArrowDown className="size-3.5" aria-hidden />
          {anchor.unseen === 1 ? "1 new message" : `${anchor.unseen} new messages`}
        </button>
      ) : null}
      <NewMessageAnnouncer messages={messages} authorOf={authorOf} />
    </div>
  );
}

/**
 * Tells screen readers about a message that arrives while the thread is open.
 * The thread itself is not a live region: virtualized rows come and go as the
 * agent scrolls, and each would be read out.
 */
function NewMessageAnnouncer({
  messages,
  authorOf,
}: {
  messages: Message[];
  authorOf: (m: Message) => string;
}) {
  const last = messages.at(-1);
  const seenLast = useRef<string | undefined>(last?.id);
  const [text, setText] = useState("");
  useEffect(() => {
    if (!last || seenLast.current === last.id) return;
    const first = seenLast.current === undefined;
    seenLast.current = last.id;
    if (!first) setText(`New message from ${authorOf(last)}`);
  }, [last, authorOf]);
  return (
    <p className="sr-only" aria-live="polite">
      {text}
    </p>
  );
}
