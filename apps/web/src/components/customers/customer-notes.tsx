"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Trash2 } from "lucide-react";
import { useRef } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";
import { messageTime } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";

/** The team's notes about a customer, newest first. */
export function CustomerNotes({ customerId }: { customerId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useRef<HTMLFormElement>(null);
  const notes = useQuery(trpc.notes.list.queryOptions({ customerId }));
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.notes.list.queryKey({ customerId }) });
  const create = useMutation(
    trpc.notes.create.mutationOptions({
      onSuccess: () => {
        form.current?.reset();
        void refresh();
      },
    }),
  );
  const remove = useMutation(trpc.notes.delete.mutationOptions({ onSuccess: refresh }));

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = String(new FormData(event.currentTarget).get("body") ?? "").trim();
    if (body) create.mutate({ customerId, body });
  }

  return (
    <div className="grid gap-2">
      <form ref={form} onSubmit={onSubmit} className="grid gap-2">
        <Textarea name="body" rows={2} placeholder="Add a note…" aria-label="New note" />
        <Button
          type="submit"
          size="sm"
          variant="outline"
          className="justify-self-start"
          disabled={create.isPending}
        >
          Add note
        </Button>
      </form>
      <ErrorMessage error={notes.error ?? create.error ?? remove.error} />
      <ul className="grid gap-2" data-testid="customer-notes">
        {(notes.data ?? []).map((note) => (
          <li key={note.id} className="group rounded-md border bg-note/50 p-2 text-sm">
            <p className="whitespace-pre-wrap break-words">{note.body}</p>
            <div className="mt-1 flex items-center justify-between text-xs text-muted-foreground">
              <time dateTime={note.createdAt}>{messageTime(note.createdAt)}</time>
              <button
                type="button"
                aria-label="Delete note"
                className="rounded-sm hover:text-destructive"
                onClick={() => remove.mutate({ id: note.id })}
              >
                <Trash2 className="size-3.5" aria-hidden />
              </button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
