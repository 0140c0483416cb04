"use client";

import { useQuery } from "@tanstack/react-query";
import { Bot, CircleOff } from "lucide-react";
import { useTRPC } from "@/lib/trpc";

/**
 * Whether this server can run the assistant at all. Without OPENAI_API_KEY it
 * is off whatever the switches say: the banner says so and what to set.
 */
export function AssistantStatusBanner() {
  const trpc = useTRPC();
  const status = useQuery(trpc.assistant.status.queryOptions());
  if (!status.data) return null;
  if (!status.data.available) {
    return (
      <div
        role="status"
        data-testid="assistant-status"
        data-available="false"
        className="flex items-start gap-2 rounded-md border border-warning/60 bg-warning-soft px-3 py-2 text-sm text-warning-foreground"
      >
        <CircleOff className="mt-0.5 size-4 shrink-0" aria-hidden />
        <span>
          <strong className="font-semibold">The AI assistant is off on this server.</strong>{" "}
          {status.data.reason} Set <code className="font-mono">OPENAI_API_KEY</code> (and{" "}
          <code className="font-mono">OPENAI_BASE_URL</code> for another OpenAI-compatible provider)
          in the server's environment and restart it.
        </span>
      </div>
    );
  }
  return (
    <div
      role="status"
      data-testid="assistant-status"
      data-available="true"
      className="flex items-center gap-2 rounded-md border bg-muted/60 px-3 py-2 text-sm text-muted-foreground"
    >
      <Bot className="size-4 shrink-0" aria-hidden />
      The AI provider is set up; the server's default model is{" "}
      <code className="font-mono">{status.data.model}</code>.
    </div>
  );
}
