"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Lock, Send } from "lucide-react";
import { useId, useRef, useState } from "react";
import { ComposerHelp } from "@/components/assistant/composer-help";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";
import { randomId } from "@/lib/ids";
import { useTRPC, useTRPCClient } from "@/lib/trpc";
import { cn } from "@/lib/utils";
import { addMessage, type Message } from "./cache";

/** The server shows typing for 5 s and drops reports more often than 1/s. */
const TYPING_EVERY_MS = 2_000;

/**
 * Tells the customer (or, for a note, teammates) that the agent is typing,
 * at most once every 2 s. Failures are ignored: typing is a hint.
 */
function useTypingReporter(conversationId: string) {
  const client = useTRPCClient();
  const last = useRef({ at: 0, private: false });
  return {
    typed(isNote: boolean) {
      const now = Date.now();
      if (last.current.private === isNote && now - last.current.at < TYPING_EVERY_MS) return;
      last.current = { at: now, private: isNote };
      client.conversations.typing.mutate({ conversationId, private: isNote }).catch(() => {});
    },
    /** After a send the next keystroke is a new message: report it right away. */
    reset() {
      last.current = { at: 0, private: false };
    },
  };
}

/** Reply to the customer, or leave a private note for teammates. Ctrl/Cmd+Enter sends. */
export function Composer({ conversationId }: { conversationId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [body, setBody] = useState("");
  const [isNote, setIsNote] = useState(false);
  const inputId = useId();
  const textarea = useRef<HTMLTextAreaElement>(null);
  // One id per message being written, so a retried send is stored once.
  const clientMessageId = useRef(randomId());
  const typing = useTypingReporter(conversationId);

  // The live events bring the message too; adding it here shows it at once,
  // and also when the live connection is down.
  const onSent = async (message: Message) => {
    setBody("");
    clientMessageId.current = randomId();
    typing.reset();
    textarea.current?.focus();
    addMessage(queryClient, trpc, message);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.conversations.list.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.conversations.counts.pathKey() }),
    ]);
  };
  const reply = useMutation(trpc.messages.reply.mutationOptions({ onSuccess: onSent }));
  const note = useMutation(trpc.messages.note.mutationOptions({ onSuccess: onSent }));
  const pending = reply.isPending || note.isPending;
  const error = isNote ? note.error : reply.error;

  function send() {
    const text = body.trim();
    if (!text || pending) return;
    if (isNote) note.mutate({ conversationId, body: text });
    else reply.mutate({ conversationId, body: text, clientMessageId: clientMessageId.current });
  }

  return (
    <form
      className={cn("border-t p-4", isNote ? "bg-note/60" : "bg-background")}
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
      data-testid="composer"
    >
      <div className="mb-2 flex items-center gap-2">
        <Button
          type="button"
          variant={isNote ? "secondary" : "ghost"}
          size="sm"
          aria-pressed={isNote}
          onClick={() => setIsNote((v) => !v)}
          data-testid="note-toggle"
          className={cn(isNote && "bg-note-border/60 hover:bg-note-border")}
        >
          <Lock aria-hidden />
          Private note
        </Button>
        <span className="text-xs text-muted-foreground">
          {isNote ? "Only your team sees notes." : "The customer sees replies."}
        </span>
      </div>
      <ComposerHelp conversationId={conversationId} draft={body} onText={setBody} />
      <label htmlFor={inputId} className="sr-only">
        {isNote ? "Private note" : "Reply"}
      </label>
      <Textarea
        id={inputId}
        ref={textarea}
        value={body}
        onChange={(event) => {
          setBody(event.target.value);
          if (event.target.value.trim()) typing.typed(isNote);
        }}
        onKeyDown={(event) => {
          if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            send();
          }
        }}
        placeholder={isNote ? "Write a note for your team…" : "Write a reply…"}
        rows={3}
        className="resize-none bg-background"
        data-testid="composer-input"
      />
      <ErrorMessage error={error} className="mt-2" testId="composer-error" />
      <div className="mt-2 flex items-center justify-between">
        <span className="text-xs text-muted-foreground">Ctrl + Enter to send</span>
        <Button
          type="submit"
          size="sm"
          disabled={pending || !body.trim()}
          data-testid="composer-send"
        >
          <Send aria-hidden />
          {isNote ? "Add note" : "Send"}
        </Button>
      </div>
    </form>
  );
}
