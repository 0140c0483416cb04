"use client";

// How the assistant shows in the dashboard thread: its replies while they are
// written (drafts), the articles a reply cites and what it cost, and the
// handoff note that tells agents a conversation is theirs now.
import { BookOpen, Bot, TriangleAlert } from "lucide-react";
import { useAssistantDrafts } from "@/components/inbox/live";

type Metadata = Record<string, unknown> | null | undefined;
type Source = { articleId: string; title: string; url: string | null };

/** The articles a reply was grounded in (metadata.sources), when well formed. */
export function sourcesOf(metadata: Metadata): Source[] {
  const raw = metadata?.sources;
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (s): s is Source =>
      typeof s === "object" && s !== null && typeof (s as Source).title === "string",
  );
}

export function isHandoffNote(metadata: Metadata): boolean {
  return metadata?.kind === "handoff";
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** "gpt-4o-mini · 120 + 45 tokens · 1.2 s", from what the reply's metadata holds. */
export function usageLine(metadata: Metadata): string | null {
  if (!metadata) return null;
  const model = typeof metadata.model === "string" ? metadata.model : null;
  const prompt = num(metadata.promptTokens);
  const completion = num(metadata.completionTokens);
  const latency = num(metadata.latencyMs);
  const parts = [
    model,
    prompt !== null && completion !== null ? `${prompt} + ${completion} tokens` : null,
    latency !== null ? `${(latency / 1000).toFixed(1)} s` : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(" · ") : null;
}

/** Under a bot reply: the articles it cites, and its model and tokens on demand. */
export function BotMessageDetails({ metadata }: { metadata: Metadata }) {
  const sources = sourcesOf(metadata);
  const usage = usageLine(metadata);
  if (sources.length === 0 && !usage) return null;
  return (
    <div className="mt-2 grid gap-1 border-t pt-1.5 text-xs text-muted-foreground">
      {sources.length > 0 ? (
        <ul className="flex flex-wrap gap-x-3 gap-y-1" data-testid="message-sources">
          {sources.map((s) => (
            <li key={s.articleId} className="flex items-center gap-1">
              <BookOpen className="size-3" aria-hidden />
              {s.url ? (
                <a href={s.url} target="_blank" rel="noopener noreferrer" className="underline">
                  {s.title}
                </a>
              ) : (
                s.title
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {usage ? (
        <details data-testid="message-usage">
          <summary className="cursor-pointer select-none">Details</summary>
          {usage}
        </details>
      ) : null}
    </div>
  );
}

/** The private note written on handoff, shown as an alert rather than a plain note. */
export function HandoffAlert({ body }: { body: string }) {
  return (
    <div
      role="alert"
      data-testid="handoff-alert"
      className="flex max-w-[75%] items-start gap-2 rounded-xl border border-warning bg-warning-soft px-3.5 py-2 text-sm text-warning-foreground shadow-xs"
    >
      <TriangleAlert className="mt-0.5 size-4 shrink-0 text-warning-foreground" aria-hidden />
      <span className="whitespace-pre-wrap break-words">{body}</span>
    </div>
  );
}

/** The assistant's replies being written in the open conversation, below its messages. */
export function AssistantDrafts({ conversationId }: { conversationId: string }) {
  const drafts = useAssistantDrafts(conversationId);
  if (drafts.length === 0) return null;
  return (
    <ol className="mt-3 flex flex-col gap-3">
      {drafts.map((d) => (
        <li key={d.streamId} className="flex flex-col items-start gap-1">
          <div
            data-testid="assistant-draft"
            data-stream-id={d.streamId}
            className="max-w-[75%] whitespace-pre-wrap break-words rounded-2xl rounded-bl-sm border border-dashed border-primary/40 bg-background px-3.5 py-2 text-sm opacity-80 shadow-xs"
          >
            {d.text || "…"}
          </div>
          <span className="flex items-center gap-1 px-1 text-xs text-muted-foreground">
            <Bot className="size-3" aria-hidden />
            AI · writing…
          </span>
        </li>
      ))}
    </ol>
  );
}
