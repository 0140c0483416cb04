"use client";

import { Bot, Lock } from "lucide-react";
import { useEffect, useRef } from "react";
import {
  AssistantDrafts,
  BotMessageDetails,
  HandoffAlert,
  isHandoffNote,
} from "@/components/assistant/bot-message";
import { useMe } from "@/components/auth/auth-gate";
import { customerLabel, messageTime } from "@/lib/format";
import type { RouterOutputs } from "@/lib/trpc";
import { cn } from "@/lib/utils";
import type { Message } from "./cache";
import { useAgentNames } from "./team";

export type { Message };

type Customer = RouterOutputs["conversations"]["get"]["customer"];

export function MessageList({
  messages,
  customer,
  header,
}: {
  messages: Message[];
  customer: Customer;
  header?: React.ReactNode;
}) {
  const bottom = useRef<HTMLDivElement>(null);
  const lastId = messages.at(-1)?.id;
  const myId = useMe().user.id;
  const agentNames = useAgentNames();
  const customerName = customerLabel(customer);
  const authorOf = (m: Message) => {
    if (m.senderType === "customer") return customerName;
    if (m.senderType === "bot") return "AI";
    if (m.userId === myId) return "You";
    return (m.userId && agentNames.get(m.userId)) || "Agent";
  };
  // Keep the newest message in view as messages arrive.
  useEffect(() => {
    if (lastId) bottom.current?.scrollIntoView({ block: "end" });
  }, [lastId]);

  return (
    <div
      className="min-h-0 flex-1 overflow-y-auto bg-muted/40 px-6 py-4"
      data-testid="message-list"
      aria-live="polite"
    >
      {header}
      {messages.length === 0 ? (
        <p className="py-8 text-center text-sm text-muted-foreground">No messages yet.</p>
      ) : (
        <ol className="flex flex-col gap-3">
          {messages.map((m) => (
            <li key={m.id}>
              <MessageBubble message={m} author={authorOf(m)} />
            </li>
          ))}
        </ol>
      )}
      {/* A conversation has its customer's first message before the assistant writes. */}
      {messages[0] ? <AssistantDrafts conversationId={messages[0].conversationId} /> : null}
      <div ref={bottom} />
    </div>
  );
}

function MessageBubble({ message, author }: { message: Message; author: string }) {
  const fromCustomer = message.senderType === "customer";
  const note = message.type === "note" || message.private;
  const bot = message.senderType === "bot";
  if (bot && note && isHandoffNote(message.metadata)) {
    return (
      <div
        data-testid="message"
        data-message-id={message.id}
        data-sender="bot"
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
      className={cn("flex flex-col gap-1", fromCustomer || bot ? "items-start" : "items-end")}
    >
      <div
        className={cn(
          "max-w-[75%] whitespace-pre-wrap break-words rounded-2xl px-3.5 py-2 text-sm shadow-xs",
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
          <span className="mb-1 flex items-center gap-1 text-xs font-medium text-amber-800">
            <Lock className="size-3" aria-hidden />
            Private note
          </span>
        ) : null}
        <span data-testid="message-body">{message.body}</span>
        {message.attachments.length > 0 ? <Attachments items={message.attachments} /> : null}
        {bot ? <BotMessageDetails metadata={message.metadata} /> : null}
      </div>
      <span className="flex items-center gap-1 px-1 text-xs text-muted-foreground">
        {bot ? <Bot className="size-3" aria-hidden /> : null}
        <span data-testid="message-author">{author}</span> ·{" "}
        <time dateTime={message.createdAt}>{messageTime(message.createdAt)}</time>
        {!fromCustomer && !note && message.seenAt ? " · Seen" : null}
      </span>
    </div>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Images as thumbnails, other files as download links. */
function Attachments({ items }: { items: Message["attachments"] }) {
  return (
    <ul className="mt-2 flex flex-col gap-1" data-testid="message-attachments">
      {items.map((a) => (
        <li key={a.id}>
          <a href={a.url} target="_blank" rel="noopener noreferrer" className="underline">
            {a.contentType.startsWith("image/") ? (
              <img src={a.url} alt={a.filename} className="max-h-48 max-w-60 rounded-md" />
            ) : (
              `${a.filename} (${formatSize(a.size)})`
            )}
          </a>
        </li>
      ))}
    </ul>
  );
}
