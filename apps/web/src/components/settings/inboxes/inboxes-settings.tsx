"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { Field, Section } from "../fields";
import { RenameForm } from "../rename-form";
import { serverFieldErrors } from "../server-field-errors";
import { SettingsPage } from "../settings-page";

type Inbox = RouterOutputs["inboxes"]["list"][number];

/** Settings → Inboxes (admins): each inbox, a new one, renaming, and each one's chat widget. */
export function InboxesSettingsPage() {
  const trpc = useTRPC();
  const inboxes = useQuery(trpc.inboxes.list.queryOptions());
  return (
    <SettingsPage
      title="Inboxes"
      description="Separate streams of conversations, each with its own chat widget."
    >
      <NewInbox />
      <Section
        title="Your inboxes"
        description={inboxes.data ? `${inboxes.data.length} in all` : undefined}
      >
        {inboxes.isPending ? (
          <p className="text-sm text-muted-foreground" aria-live="polite">
            Loading inboxes…
          </p>
        ) : inboxes.isError ? (
          <ErrorMessage error={inboxes.error} />
        ) : (
          <ul className="-my-3 divide-y" data-testid="inbox-list">
            {inboxes.data.map((inbox) => (
              <InboxRow key={inbox.id} inbox={inbox} />
            ))}
          </ul>
        )}
      </Section>
    </SettingsPage>
  );
}

function useRefreshInboxes() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.inboxes.list.queryKey() });
}

function NewInbox() {
  const trpc = useTRPC();
  const refresh = useRefreshInboxes();
  const [name, setName] = useState("");
  const create = useMutation(
    trpc.inboxes.create.mutationOptions({
      onSuccess: async () => {
        setName("");
        await refresh();
      },
    }),
  );
  const errors = serverFieldErrors(create.error);
  return (
    <Section title="New inbox">
      <form
        className="flex flex-wrap items-end gap-3"
        data-testid="new-inbox-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!create.isPending && name.trim()) create.mutate({ name: name.trim() });
        }}
      >
        <Field label="Name" name="name" error={errors.name} className="min-w-48 flex-1">
          {(c) => (
            <Input
              {...c}
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="Support, Sales…"
            />
          )}
        </Field>
        <Button type="submit" disabled={create.isPending || !name.trim()}>
          {create.isPending ? "Creating…" : "Create inbox"}
        </Button>
      </form>
      {errors.name ? null : <ErrorMessage error={create.error} />}
    </Section>
  );
}

function InboxRow({ inbox }: { inbox: Inbox }) {
  const trpc = useTRPC();
  const refresh = useRefreshInboxes();
  const [editing, setEditing] = useState(false);
  const rename = useMutation(
    trpc.inboxes.update.mutationOptions({
      onSuccess: async () => {
        setEditing(false);
        await refresh();
      },
    }),
  );
  return (
    <li className="grid gap-2 py-3" data-testid="inbox-row" data-name={inbox.name}>
      <div className="flex flex-wrap items-center gap-2">
        {editing ? (
          <RenameForm
            label={`New name of ${inbox.name}`}
            initial={inbox.name}
            pending={rename.isPending}
            onSave={(name) => rename.mutate({ id: inbox.id, name })}
            onCancel={() => {
              setEditing(false);
              rename.reset();
            }}
            testId="inbox-rename-form"
          />
        ) : (
          <>
            <span className="min-w-0 flex-1 truncate text-sm font-medium">
              {inbox.name}
              {inbox.isDefault ? (
                <Badge variant="secondary" className="ml-2" data-testid="default-badge">
                  Default
                </Badge>
              ) : null}
            </span>
            <Button type="button" size="sm" variant="ghost" onClick={() => setEditing(true)}>
              Rename<span className="sr-only"> {inbox.name}</span>
            </Button>
            <Button asChild size="sm" variant="outline">
              <Link href={`/settings/widget?inbox=${encodeURIComponent(inbox.id)}`}>
                Chat widget<span className="sr-only"> of {inbox.name}</span>
              </Link>
            </Button>
          </>
        )}
      </div>
      {inbox.emailAddress ? (
        <p className="text-xs text-muted-foreground">
          Email address:{" "}
          <code className="select-all text-foreground" data-testid="inbox-email-address">
            {inbox.emailAddress}
          </code>{" "}
          (mail to it starts an email conversation in this inbox)
        </p>
      ) : null}
      <ErrorMessage error={rename.error} />
    </li>
  );
}
