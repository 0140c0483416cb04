"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { Tag } from "lucide-react";
import { useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Input } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import { Popover } from "./popover";

/** Adds and removes the conversation's tags; a name that is no tag yet creates it. */
export function TagPicker({
  open,
  onOpenChange,
  selected,
  onAdd,
  onRemove,
  disabled,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  selected: readonly { id: string }[];
  onAdd: (tagId: string) => void;
  onRemove: (tagId: string) => void;
  disabled: boolean;
}) {
  const trpc = useTRPC();
  const tags = useQuery(trpc.tags.list.queryOptions());
  const [name, setName] = useState("");
  const create = useMutation(
    trpc.tags.create.mutationOptions({
      onSuccess: async (tag) => {
        setName("");
        onAdd(tag.id);
        await tags.refetch();
      },
    }),
  );
  const has = new Set(selected.map((t) => t.id));
  const typed = name.trim().toLowerCase();
  const existing = tags.data?.find((t) => t.name.toLowerCase() === typed);

  return (
    <Popover
      open={open}
      onOpenChange={onOpenChange}
      label="Tags"
      testId="tag-conversation"
      trigger={
        <>
          <Tag aria-hidden />
          Tags
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!typed) return;
          if (existing) {
            if (!has.has(existing.id)) onAdd(existing.id);
            setName("");
          } else {
            create.mutate({ name: name.trim() });
          }
        }}
      >
        <Input
          aria-label="Add a tag (Enter creates a new one)"
          placeholder="Add or create a tag…"
          value={name}
          onChange={(e) => setName(e.target.value)}
          data-testid="tag-input"
          autoFocus
        />
      </form>
      <ErrorMessage error={create.error} className="mt-2" />
      <ul className="mt-2 flex max-h-60 flex-col overflow-y-auto">
        {(tags.data ?? [])
          .filter((t) => !typed || t.name.toLowerCase().includes(typed))
          .map((tag) => (
            <li key={tag.id}>
              <label className="flex items-center gap-2 rounded px-2 py-1 text-sm hover:bg-accent">
                <input
                  type="checkbox"
                  checked={has.has(tag.id)}
                  disabled={disabled}
                  onChange={(e) => (e.target.checked ? onAdd(tag.id) : onRemove(tag.id))}
                  data-testid={`tag-option-${tag.name}`}
                />
                <span
                  className="size-2 rounded-full"
                  style={{ background: tag.color ?? "currentColor" }}
                  aria-hidden
                />
                {tag.name}
              </label>
            </li>
          ))}
      </ul>
    </Popover>
  );
}
