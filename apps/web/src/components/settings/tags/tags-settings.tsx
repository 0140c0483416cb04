"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { ConfirmButton } from "../confirm-button";
import { Field, Section } from "../fields";
import { RenameForm } from "../rename-form";
import { serverFieldErrors } from "../server-field-errors";
import { SettingsPage } from "../settings-page";
import { TagColorInput } from "./tag-color-input";

type Tag = RouterOutputs["tags"]["list"][number];

/** A tag without a colour shows this one in the picker. */
const NEW_TAG_COLOR = "#64748b";

/** Settings → Tags (every agent): the account's tags, their names and colours. */
export function TagsSettingsPage() {
  const trpc = useTRPC();
  const tags = useQuery(trpc.tags.list.queryOptions());
  return (
    <SettingsPage
      title="Tags"
      description="Labels for conversations and customers, shared by the whole team."
    >
      <NewTag />
      <Section title="Tags" description={tags.data ? `${tags.data.length} in all` : undefined}>
        {tags.isPending ? (
          <p className="text-sm text-muted-foreground" aria-live="polite">
            Loading tags…
          </p>
        ) : tags.isError ? (
          <ErrorMessage error={tags.error} />
        ) : tags.data.length === 0 ? (
          <p className="text-sm text-muted-foreground" data-testid="tags-empty">
            No tags yet. Create one above, or while tagging a conversation.
          </p>
        ) : (
          <ul className="-my-3 divide-y" data-testid="tag-list">
            {tags.data.map((tag) => (
              <TagRow key={tag.id} tag={tag} />
            ))}
          </ul>
        )}
      </Section>
    </SettingsPage>
  );
}

function useRefreshTags() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.tags.list.queryKey() });
}

function NewTag() {
  const trpc = useTRPC();
  const refresh = useRefreshTags();
  const [name, setName] = useState("");
  const [color, setColor] = useState(NEW_TAG_COLOR);
  const create = useMutation(
    trpc.tags.create.mutationOptions({
      onSuccess: async () => {
        setName("");
        await refresh();
      },
    }),
  );
  const errors = serverFieldErrors(create.error);
  return (
    <Section title="New tag">
      <form
        className="flex flex-wrap items-end gap-3"
        data-testid="new-tag-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!create.isPending && name.trim()) create.mutate({ name: name.trim(), color });
        }}
      >
        <Field label="Name" name="name" error={errors.name} className="min-w-48 flex-1">
          {(c) => <Input {...c} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Colour" name="color" error={errors.color}>
          {(c) => (
            <input
              {...c}
              type="color"
              value={color}
              onChange={(e) => setColor(e.target.value)}
              className="h-9 w-14 cursor-pointer rounded-md border border-input bg-background p-1 outline-none focus-visible:ring-2 focus-visible:ring-ring"
            />
          )}
        </Field>
        <Button type="submit" disabled={create.isPending || !name.trim()}>
          {create.isPending ? "Creating…" : "Create tag"}
        </Button>
      </form>
      {Object.keys(errors).length > 0 ? null : <ErrorMessage error={create.error} />}
    </Section>
  );
}

function TagRow({ tag }: { tag: Tag }) {
  const trpc = useTRPC();
  const refresh = useRefreshTags();
  const [editing, setEditing] = useState(false);
  const update = useMutation(
    trpc.tags.update.mutationOptions({
      onSuccess: async () => {
        setEditing(false);
        await refresh();
      },
    }),
  );
  const remove = useMutation(trpc.tags.delete.mutationOptions({ onSuccess: () => refresh() }));

  return (
    <li className="grid gap-2 py-3" data-testid="tag-row" data-name={tag.name}>
      <div className="flex flex-wrap items-center gap-2">
        <TagColorInput
          key={tag.color}
          value={tag.color ?? NEW_TAG_COLOR}
          label={`Colour of ${tag.name}`}
          onCommit={(color) => {
            if (color !== tag.color) update.mutate({ id: tag.id, color });
          }}
        />
        {editing ? (
          <RenameForm
            label={`New name of ${tag.name}`}
            initial={tag.name}
            pending={update.isPending}
            onSave={(name) => update.mutate({ id: tag.id, name })}
            onCancel={() => {
              setEditing(false);
              update.reset();
            }}
            testId="tag-rename-form"
          />
        ) : (
          <>
            <span className="min-w-0 flex-1 truncate text-sm font-medium" data-testid="tag-name">
              {tag.name}
            </span>
            <Button type="button" size="sm" variant="ghost" onClick={() => setEditing(true)}>
              Rename<span className="sr-only"> {tag.name}</span>
            </Button>
            <ConfirmButton
              label="Delete"
              question={`Delete “${tag.name}” from every conversation?`}
              pending={remove.isPending}
              onConfirm={() => remove.mutate({ id: tag.id })}
              testId="tag-delete"
            />
          </>
        )}
      </div>
      <ErrorMessage error={update.error ?? remove.error} />
    </li>
  );
}
