"use client";

import { Sparkles, Square } from "lucide-react";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { useHelpAvailability, useHelpStream } from "./use-help-stream";

const REWRITES = [
  { style: "shorter", label: "Shorter" },
  { style: "friendlier", label: "Friendlier" },
  { style: "grammar", label: "Fix grammar" },
] as const;

/**
 * The assistant's help in the composer: a suggested reply, or the agent's
 * draft rewritten, streamed into the text box. Nothing is sent: the agent
 * edits and sends as always.
 */
export function ComposerHelp({
  conversationId,
  draft,
  onText,
}: {
  conversationId: string;
  /** The composer's text, the input of a rewrite. */
  draft: string;
  /** Replaces the composer's text as the help streams in. */
  onText: (text: string) => void;
}) {
  const { available, reason } = useHelpAvailability();
  const help = useHelpStream();
  if (!available && !reason) return null;
  const busy = help.running !== null;
  const off = !available;
  const hasDraft = draft.trim().length > 0;
  return (
    <div className="mb-2 grid gap-2" data-testid="composer-help">
      <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label="AI help">
        <Button
          type="button"
          variant="outline"
          size="sm"
          disabled={off || busy}
          title={reason ?? "Draft a reply from the conversation and your knowledge base"}
          onClick={() => help.start({ conversationId, kind: "suggestion" }, onText)}
          data-testid="help-suggest"
        >
          <Sparkles aria-hidden />
          {help.running === "suggestion" ? "Suggesting…" : "Suggest reply"}
        </Button>
        {REWRITES.map(({ style, label }) => (
          <Button
            key={style}
            type="button"
            variant="ghost"
            size="sm"
            disabled={off || busy || !hasDraft}
            title={reason ?? (hasDraft ? undefined : "Write something first")}
            onClick={() =>
              help.start({ conversationId, kind: "rewrite", text: draft.trim(), style }, onText)
            }
            data-testid={`help-${style}`}
          >
            {label}
          </Button>
        ))}
        {busy ? (
          <Button
            type="button"
            variant="ghost"
            size="sm"
            onClick={help.stop}
            data-testid="help-stop"
          >
            <Square aria-hidden />
            Stop
          </Button>
        ) : null}
        {off ? (
          <span className="text-xs text-muted-foreground" data-testid="help-unavailable">
            AI help is off: OPENAI_API_KEY is not set on the server.
          </span>
        ) : null}
      </div>
      <ErrorMessage error={help.error} testId="help-error" />
    </div>
  );
}
