"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useMe } from "@/components/auth/auth-gate";
import { ErrorMessage } from "@/components/error-message";
import { Field, Section, Switch } from "@/components/settings/fields";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { useTRPC } from "@/lib/trpc";
import { PassagePreview } from "./passage-preview";

type Draft = { title: string; url: string; body: string; published: boolean };

const EMPTY: Draft = { title: "", url: "", body: "", published: true };

/** Writes a new article or edits one (read-only for agents), with a preview of its passages. */
export function ArticleEditor({
  articleId,
  onDone,
}: {
  articleId: string | null;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const existing = useQuery({
    ...trpc.knowledge.get.queryOptions({ id: articleId ?? "" }),
    enabled: articleId !== null,
  });
  if (articleId !== null && existing.isPending) {
    return (
      <Section title="Article">
        <p className="text-sm text-muted-foreground" aria-live="polite">
          Loading the article…
        </p>
      </Section>
    );
  }
  if (existing.isError) {
    return (
      <Section title="Article">
        <ErrorMessage error={existing.error} />
        <Button variant="outline" onClick={onDone}>
          Close
        </Button>
      </Section>
    );
  }
  const initial: Draft = existing.data
    ? {
        title: existing.data.title,
        url: existing.data.url ?? "",
        body: existing.data.body,
        published: existing.data.published,
      }
    : EMPTY;
  return <EditorForm articleId={articleId} initial={initial} onDone={onDone} />;
}

function EditorForm({
  articleId,
  initial,
  onDone,
}: {
  articleId: string | null;
  initial: Draft;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const readOnly = useMe().role !== "admin";
  const [draft, setDraft] = useState<Draft>(initial);
  const [preview, setPreview] = useState(false);
  const change = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const saved = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.knowledge.pathKey() });
    onDone();
  };
  const create = useMutation(trpc.knowledge.create.mutationOptions({ onSuccess: saved }));
  const update = useMutation(trpc.knowledge.update.mutationOptions({ onSuccess: saved }));
  const save = articleId ? update : create;
  const fieldErrors = (save.error?.data as { fieldErrors?: Record<string, string[]> } | undefined)
    ?.fieldErrors;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const values = {
      title: draft.title.trim(),
      body: draft.body,
      url: draft.url.trim() || null,
      published: draft.published,
    };
    if (articleId) update.mutate({ id: articleId, ...values });
    else create.mutate(values);
  }

  return (
    <Section
      title={articleId ? (readOnly ? "Article" : "Edit article") : "New article"}
      description="Markdown. Each heading starts a passage the assistant can find and cite."
    >
      <form onSubmit={onSubmit} className="grid gap-4" data-testid="article-form">
        <Field label="Title" name="title" error={fieldErrors?.title?.[0]}>
          {(control) => (
            <Input
              {...control}
              value={draft.title}
              onChange={(e) => change({ title: e.target.value })}
              maxLength={200}
              required
              readOnly={readOnly}
              data-testid="article-title"
            />
          )}
        </Field>
        <Field
          label="Public URL"
          name="url"
          hint="Optional: the page customers are sent to when the assistant cites this article."
          error={fieldErrors?.url?.[0]}
        >
          {(control) => (
            <Input
              {...control}
              type="url"
              placeholder="https://help.example.com/…"
              value={draft.url}
              onChange={(e) => change({ url: e.target.value })}
              maxLength={2000}
              readOnly={readOnly}
              data-testid="article-url"
            />
          )}
        </Field>
        <div className="flex items-center gap-2" role="tablist" aria-label="Body">
          <Button
            type="button"
            size="sm"
            role="tab"
            aria-selected={!preview}
            variant={preview ? "ghost" : "secondary"}
            onClick={() => setPreview(false)}
          >
            Write
          </Button>
          <Button
            type="button"
            size="sm"
            role="tab"
            aria-selected={preview}
            variant={preview ? "secondary" : "ghost"}
            onClick={() => setPreview(true)}
            data-testid="article-preview-tab"
          >
            Preview passages
          </Button>
        </div>
        {preview ? (
          <PassagePreview title={draft.title} body={draft.body} />
        ) : (
          <Field label="Body" name="body" error={fieldErrors?.body?.[0]}>
            {(control) => (
              <Textarea
                {...control}
                value={draft.body}
                onChange={(e) => change({ body: e.target.value })}
                rows={16}
                maxLength={100_000}
                readOnly={readOnly}
                className="font-mono"
                data-testid="article-body"
              />
            )}
          </Field>
        )}
        {readOnly ? null : (
          <Switch
            label="Published"
            hint="Unpublished articles are kept but never used to answer."
            checked={draft.published}
            onChange={(published) => change({ published })}
            testId="article-form-published"
          />
        )}
        <ErrorMessage error={fieldErrors ? null : save.error} testId="article-error" />
        <div className="flex gap-2">
          {readOnly ? null : (
            <Button type="submit" disabled={save.isPending} data-testid="article-save">
              {save.isPending ? "Saving…" : "Save"}
            </Button>
          )}
          <Button type="button" variant="outline" onClick={onDone} data-testid="article-cancel">
            {readOnly ? "Close" : "Cancel"}
          </Button>
        </div>
      </form>
    </Section>
  );
}
