"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Lock, Send } from "lucide-react";
import { useId, useRef, useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";
import { randomId } from "@/lib/ids";
import { useTRPC } from "@/lib/trpc";
import { cn } from "@/lib/utils";

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

  const onSent = async () => {
    setBody("");
    clientMessageId.current = randomId();
    textarea.current?.focus();
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.messages.list.queryKey({ conversationId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.conversations.list.pathKey() }),
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
      <label htmlFor={inputId} className="sr-only">
        {isNote ? "Private note" : "Reply"}
      </label>
      <Textarea
        id={inputId}
        ref={textarea}
        value={body}
        onChange={(event) => setBody(event.target.value)}
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
