"use client";

import { FileText, X } from "lucide-react";
import { useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { useHelpAvailability, useHelpStream } from "./use-help-stream";

/** "Summarize" in the thread header: a short summary of the conversation, streamed into a panel under the button. */
export function SummarizeButton({ conversationId }: { conversationId: string }) {
  const { available, reason } = useHelpAvailability();
  const help = useHelpStream();
  const [summary, setSummary] = useState<string | null>(null);
  if (!available && !reason) return null;
  return (
    <div className="relative">
      <Button
        variant="outline"
        size="sm"
        disabled={!available || help.running !== null}
        title={reason ?? "Summarize this conversation with the AI assistant"}
        onClick={() => {
          setSummary("");
          help.start({ conversationId, kind: "summary" }, setSummary);
        }}
        data-testid="help-summarize"
      >
        <FileText aria-hidden />
        {help.running ? "Summarizing…" : "Summarize"}
      </Button>
      {summary !== null || help.error ? (
        <div
          className="absolute top-full right-0 z-20 mt-2 w-96 max-w-[80vw] rounded-md border bg-background px-3 py-2 pr-8 text-sm shadow-lg"
          role="region"
          aria-label="Summary"
          data-testid="conversation-summary"
        >
          <ErrorMessage error={help.error} />
          {summary ? <p className="whitespace-pre-wrap">{summary}</p> : null}
          <button
            type="button"
            aria-label="Close the summary"
            className="absolute top-2 right-2 text-muted-foreground hover:text-foreground"
            onClick={() => {
              help.stop();
              setSummary(null);
            }}
          >
            <X className="size-4" aria-hidden />
          </button>
        </div>
      ) : null}
    </div>
  );
}
