"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useDeferredValue } from "react";
import { ErrorMessage } from "@/components/error-message";
import { useTRPC } from "@/lib/trpc";

/**
 * What the assistant will search and cite: the article cut into passages, each
 * under its heading path. Shown as plain text (the server's own cut), so what
 * an admin sees is exactly what the assistant reads.
 */
export function PassagePreview({ title, body }: { title: string; body: string }) {
  const trpc = useTRPC();
  const input = { title: useDeferredValue(title.trim()), body: useDeferredValue(body) };
  const passages = useQuery({
    ...trpc.knowledge.previewPassages.queryOptions(input),
    enabled: input.title.length > 0,
    placeholderData: keepPreviousData,
  });
  if (!input.title) {
    return <p className="text-sm text-muted-foreground">Give the article a title to preview it.</p>;
  }
  if (passages.isError) return <ErrorMessage error={passages.error} />;
  if (!passages.data) {
    return (
      <p className="text-sm text-muted-foreground" aria-live="polite">
        Cutting into passages…
      </p>
    );
  }
  return (
    <ol className="grid gap-3" data-testid="passage-preview">
      {passages.data.map((passage, i) => (
        // The list is rebuilt whole from the text: the position is the passage's identity.
        <li key={i} className="rounded-md border bg-muted/30 p-3">
          <p className="text-xs font-semibold text-muted-foreground">{passage.heading}</p>
          <p className="mt-1 text-sm whitespace-pre-wrap break-words">{passage.body}</p>
        </li>
      ))}
    </ol>
  );
}
