"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { CopyButton } from "@/components/settings/code-block";
import { Field, Section } from "@/components/settings/fields";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { type RouterInputs, useTRPC } from "@/lib/trpc";

type EventType = RouterInputs["webhooks"]["create"]["eventTypes"][number];

/** Adds an endpoint; its signing secret is shown here once, to copy into the receiver. */
export function CreateEndpointForm({
  eventTypes,
  onCreated,
}: {
  eventTypes: string[];
  onCreated: (id: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<Set<string>>(new Set(["message.created"]));
  const [secret, setSecret] = useState<string | null>(null);
  const create = useMutation(
    trpc.webhooks.create.mutationOptions({
      onSuccess: async (created) => {
        setSecret(created.secret);
        setUrl("");
        setDescription("");
        await queryClient.invalidateQueries({ queryKey: trpc.webhooks.list.queryKey() });
        onCreated(created.endpoint.id);
      },
    }),
  );
  const toggle = (type: string) =>
    setEvents((current) => {
      const next = new Set(current);
      if (next.has(type)) next.delete(type);
      else next.add(type);
      return next;
    });
  return (
    <Section title="Add an endpoint">
      <form
        className="grid gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          setSecret(null);
          create.mutate({
            url: url.trim(),
            description: description.trim() || undefined,
            eventTypes: [...events] as EventType[],
          });
        }}
      >
        <Field label="URL" hint="Where Netia POSTs the events (https:// recommended).">
          {(control) => (
            <Input
              {...control}
              name="url"
              type="url"
              required
              placeholder="https://example.com/netia-webhooks"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
            />
          )}
        </Field>
        <Field label="Description">
          {(control) => (
            <Input
              {...control}
              name="description"
              maxLength={200}
              placeholder="CRM sync"
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          )}
        </Field>
        <fieldset className="grid gap-2">
          <legend className="mb-1 text-sm font-medium">Events</legend>
          {eventTypes.map((type) => (
            <label key={type} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={events.has(type)}
                onChange={() => toggle(type)}
                className="size-4"
              />
              <code>{type}</code>
            </label>
          ))}
        </fieldset>
        <ErrorMessage error={create.error} />
        <div>
          <Button type="submit" disabled={create.isPending || events.size === 0}>
            {create.isPending ? "Adding…" : "Add endpoint"}
          </Button>
        </div>
      </form>
      {secret ? <SecretOnce secret={secret} /> : null}
    </Section>
  );
}

/** A signing secret, shown when it is made and never again. */
export function SecretOnce({ secret }: { secret: string }) {
  return (
    <div className="grid gap-2 rounded-md border bg-muted/40 p-3" data-testid="webhook-secret">
      <p className="text-sm">
        The signing secret. Copy it now: it is not shown again. Receivers verify each request with
        it (docs/webhooks.md).
      </p>
      <div className="flex items-center gap-2">
        <code className="min-w-0 flex-1 truncate text-xs" data-testid="webhook-secret-value">
          {secret}
        </code>
        <CopyButton text={secret} label="Copy signing secret" />
      </div>
    </div>
  );
}
