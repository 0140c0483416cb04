"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { ConfirmButton } from "../confirm-button";
import { Section } from "../fields";
import { serverFieldErrors } from "../server-field-errors";
import { SettingsPage } from "../settings-page";
import { SavedReplyForm } from "./saved-reply-form";

type SavedReply = RouterOutputs["savedReplies"]["list"][number];

/** Settings → Saved replies (every agent): the team's canned answers, inserted with "/". */
export function SavedRepliesSettingsPage() {
  const trpc = useTRPC();
  const replies = useQuery(trpc.savedReplies.list.queryOptions());
  return (
    <SettingsPage
      title="Saved replies"
      description="Answers the whole team inserts in the composer by typing / and a shortcut."
    >
      <NewSavedReply />
      <Section
        title="Saved replies"
        description={replies.data ? `${replies.data.length} in all` : undefined}
      >
        {replies.isPending ? (
          <p className="text-sm text-muted-foreground" aria-live="polite">
            Loading saved replies…
          </p>
        ) : replies.isError ? (
          <ErrorMessage error={replies.error} />
        ) : replies.data.length === 0 ? (
          <p className="text-sm text-muted-foreground" data-testid="saved-replies-empty">
            No saved replies yet.
          </p>
        ) : (
          <ul className="-my-3 divide-y" data-testid="saved-reply-list">
            {replies.data.map((reply) => (
              <SavedReplyRow key={reply.id} reply={reply} />
            ))}
          </ul>
        )}
      </Section>
    </SettingsPage>
  );
}

function useRefreshReplies() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.savedReplies.list.queryKey() });
}

function NewSavedReply() {
  const trpc = useTRPC();
  const refresh = useRefreshReplies();
  // A new form after each reply saved: its fields start empty again.
  const [formKey, setFormKey] = useState(0);
  const create = useMutation(
    trpc.savedReplies.create.mutationOptions({
      onSuccess: async () => {
        setFormKey((k) => k + 1);
        await refresh();
      },
    }),
  );
  const errors = serverFieldErrors(create.error);
  return (
    <Section title="New saved reply">
      <SavedReplyForm
        key={formKey}
        pending={create.isPending}
        errors={errors}
        submitLabel="Create saved reply"
        onSubmit={(draft) => create.mutate(draft)}
        testId="new-saved-reply-form"
      />
      {Object.keys(errors).length > 0 ? null : <ErrorMessage error={create.error} />}
    </Section>
  );
}

function SavedReplyRow({ reply }: { reply: SavedReply }) {
  const trpc = useTRPC();
  const refresh = useRefreshReplies();
  const [editing, setEditing] = useState(false);
  const update = useMutation(
    trpc.savedReplies.update.mutationOptions({
      onSuccess: async () => {
        setEditing(false);
        await refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.savedReplies.delete.mutationOptions({ onSuccess: () => refresh() }),
  );
  const errors = serverFieldErrors(update.error);

  return (
    <li className="grid gap-2 py-3" data-testid="saved-reply-row" data-shortcut={reply.shortcut}>
      {editing ? (
        <SavedReplyForm
          initial={{ shortcut: reply.shortcut, body: reply.body }}
          pending={update.isPending}
          errors={errors}
          submitLabel="Save"
          onSubmit={(draft) => update.mutate({ id: reply.id, ...draft })}
          onCancel={() => {
            setEditing(false);
            update.reset();
          }}
          testId="edit-saved-reply-form"
        />
      ) : (
        <div className="flex flex-wrap items-start gap-2">
          <div className="grid min-w-0 flex-1 gap-1">
            <span className="font-mono text-sm font-medium">/{reply.shortcut}</span>
            <p className="line-clamp-2 text-sm whitespace-pre-line text-muted-foreground">
              {reply.body}
            </p>
          </div>
          <Button type="button" size="sm" variant="ghost" onClick={() => setEditing(true)}>
            Edit<span className="sr-only"> /{reply.shortcut}</span>
          </Button>
          <ConfirmButton
            label="Delete"
            question={`Delete /${reply.shortcut}?`}
            pending={remove.isPending}
            onConfirm={() => remove.mutate({ id: reply.id })}
            testId="saved-reply-delete"
          />
        </div>
      )}
      {Object.keys(errors).length > 0 ? null : (
        <ErrorMessage error={update.error ?? remove.error} />
      )}
    </li>
  );
}
