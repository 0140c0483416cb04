"use client";

import { Bot, Hash, Lock, Mail } from "lucide-react";
import { memo } from "react";
import { BotMessageDetails, HandoffAlert, isHandoffNote } from "@/components/assistant/bot-message";
import { messageTime } from "@/lib/format";
import { Markdown } from "@/lib/markdown";
import { cn } from "@/lib/utils";
import type { Message } from "../cache";
import { Attachments } from "./attachments";

/** One message of the thread: its body as markdown, attachments, author, time and read receipt. */
export const MessageBubble = memo(function MessageBubble({
  message,
  author,
  highlighted,
}: {
  message: Message;
  author: string;
  highlighted: boolean;
}) {
  const fromCustomer = message.senderType === "customer";
  const note = message.type === "note" || message.private;
  const bot = message.senderType === "bot";
  if (bot && note && isHandoffNote(message.metadata)) {
    return (
      <div
        data-testid="message"
        data-message-id={message.id}
        data-sender="bot"
        data-highlighted={highlighted || undefined}
        className="flex flex-col items-start gap-1"
      >
        <HandoffAlert body={message.body} />
      </div>
    );
  }

  return (
    <div
      data-testid="message"
      data-message-id={message.id}
      data-type={message.type}
      data-sender={message.senderType}
      data-highlighted={highlighted || undefined}
      className={cn("flex flex-col gap-1", fromCustomer || bot ? "items-start" : "items-end")}
    >
      <div
        className={cn(
          "max-w-[85%] min-w-0 rounded-2xl px-3.5 py-2 text-sm shadow-xs sm:max-w-[75%]",
          note
            ? "border border-note-border bg-note text-foreground"
            : fromCustomer
              ? "rounded-bl-sm border bg-background"
              : bot
                ? "rounded-bl-sm border border-dashed bg-background"
                : "rounded-br-sm bg-primary text-primary-foreground",
        )}
      >
        {note ? (
          <span className="mb-1 flex items-center gap-1 text-xs font-medium text-foreground/70">
            <Lock className="size-3" aria-hidden />
            Private note
          </span>
        ) : null}
        {message.body ? <Markdown text={message.body} /> : null}
        {message.attachments.length > 0 ? <Attachments items={message.attachments} /> : null}
        {bot ? <BotMessageDetails metadata={message.metadata} /> : null}
      </div>
      <span className="flex items-center gap-1 px-1 text-xs text-muted-foreground">
        {bot ? <Bot className="size-3" aria-hidden /> : null}
        <span data-testid="message-author">{author}</span> ·{" "}
        <time dateTime={message.createdAt}>{messageTime(message.createdAt)}</time>
        {message.metadata.via === "email" ? (
          <span className="flex items-center gap-1" data-testid="message-via-email">
            {" "}
            · <Mail className="size-3" aria-hidden /> via email
          </span>
        ) : null}
        {message.metadata.via === "slack" ? <ViaSlack metadata={message.metadata} /> : null}
        {!fromCustomer && !note && message.seenAt ? " · Seen" : null}
      </span>
    </div>
  );
});

/** Written in Slack; flagged when the Slack user is no agent of the account (matched by email). */
function ViaSlack({ metadata }: { metadata: Record<string, unknown> }) {
  const unmatched = (metadata.slack as { unmatched?: unknown } | undefined)?.unmatched === true;
  return (
    <span className="flex items-center gap-1" data-testid="message-via-slack">
      {" "}
      · <Hash className="size-3" aria-hidden /> via Slack
      {unmatched ? (
        <span
          data-testid="message-slack-unmatched"
          className="rounded bg-amber-100 px-1 text-amber-900 dark:bg-amber-900/40 dark:text-amber-100"
          title="This Slack user's email matches no agent of your team"
        >
          not a Netia agent
        </span>
      ) : null}
    </span>
  );
}
