"use client";

// Emails the conversation so far (public messages, never notes) to the
// customer, or to another address the agent types.
import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";

export function SendTranscript({
  conversationId,
  customerEmail,
}: {
  conversationId: string;
  customerEmail: string | null;
}) {
  const trpc = useTRPC();
  const inputId = useId();
  const [to, setTo] = useState(customerEmail ?? "");
  const send = useMutation(trpc.conversations.sendTranscript.mutationOptions());
  return (
    <form
      className="grid gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        send.mutate({ conversationId, to: to.trim() || undefined });
      }}
    >
      <label htmlFor={inputId} className="text-xs text-muted-foreground">
        Email the conversation so far (notes stay private)
      </label>
      <div className="flex gap-2">
        <Input
          id={inputId}
          type="email"
          required
          value={to}
          onChange={(event) => {
            setTo(event.target.value);
            send.reset();
          }}
          placeholder="customer@example.com"
          className="h-8 text-sm"
          data-testid="transcript-email"
        />
        <Button type="submit" size="sm" disabled={send.isPending} data-testid="send-transcript">
          Send
        </Button>
      </div>
      {send.data ? (
        <p className="text-xs text-muted-foreground" role="status" data-testid="transcript-sent">
          {send.data.queued
            ? `Transcript on its way to ${send.data.to}.`
            : `${send.data.to} already has this transcript.`}
        </p>
      ) : null}
      <ErrorMessage error={send.error} />
    </form>
  );
}
