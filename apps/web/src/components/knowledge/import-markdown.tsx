"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Upload } from "lucide-react";
import { useId, useRef } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Section } from "@/components/settings/fields";
import { useTRPC } from "@/lib/trpc";

/**
 * Imports one or several .md files as articles. The files are read in the
 * browser and sent as text; the server parses titles (front matter `title:`,
 * the first `# heading`, or the file name) and imports all of them or none.
 */
export function ImportMarkdown() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const importFiles = useMutation(
    trpc.knowledge.importMarkdown.mutationOptions({
      onSettled: () => {
        if (input.current) input.current.value = "";
        void queryClient.invalidateQueries({ queryKey: trpc.knowledge.list.pathKey() });
      },
    }),
  );

  async function onFiles(list: FileList | null) {
    if (!list || list.length === 0) return;
    const files = await Promise.all(
      [...list].map(async (file) => ({ name: file.name, text: await file.text() })),
    );
    importFiles.mutate({ files });
  }

  const imported = importFiles.data;
  return (
    <Section
      title="Import Markdown"
      description="Up to 20 .md files at once. Front matter title: and url: are used when present."
    >
      <div className="grid gap-3">
        <label
          htmlFor={inputId}
          className="flex w-fit cursor-pointer items-center gap-2 rounded-md border border-input bg-background px-4 py-2 text-sm font-medium shadow-sm hover:bg-accent focus-within:ring-2 focus-within:ring-ring"
        >
          <Upload className="size-4" aria-hidden />
          {importFiles.isPending ? "Importing…" : "Choose .md files"}
          <input
            ref={input}
            id={inputId}
            type="file"
            accept=".md,.markdown,text/markdown"
            multiple
            className="sr-only"
            disabled={importFiles.isPending}
            onChange={(e) => void onFiles(e.target.files)}
            data-testid="import-files"
          />
        </label>
        {imported ? (
          <p className="text-sm text-muted-foreground" role="status" data-testid="import-result">
            Imported {imported.length} {imported.length === 1 ? "article" : "articles"}:{" "}
            {imported.map((a) => a.title).join(", ")}.
          </p>
        ) : null}
        <ErrorMessage error={importFiles.error} testId="import-error" />
      </div>
    </Section>
  );
}
