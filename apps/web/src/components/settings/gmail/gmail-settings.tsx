"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { NativeSelect } from "@/components/ui/native-select";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { ConfirmButton } from "../confirm-button";
import { Field, Section } from "../fields";
import { SettingsPage } from "../settings-page";

type Connection = RouterOutputs["gmail"]["list"]["connections"][number];

/** Where the browser goes to connect a mailbox: the start route sends it on to Google. */
const startUrl = (inboxId: string) =>
  `/api/integrations/gmail/start?inboxId=${encodeURIComponent(inboxId)}`;

/**
 * Settings → Gmail (admins): mailboxes connected as channels, each to an
 * inbox. Mail to them becomes email conversations; agents' replies go out
 * from the mailbox, in the same Gmail thread.
 */
export function GmailSettingsPage() {
  const trpc = useTRPC();
  const list = useQuery(trpc.gmail.list.queryOptions());
  const params = useSearchParams();
  const connected = params.get("connected");
  const failed = params.get("error");
  return (
    <SettingsPage
      title="Gmail"
      description="Connect a Gmail or Google Workspace mailbox: its mail becomes email conversations, and replies go out from it in the same thread."
    >
      {connected ? (
        <p className="text-sm" role="status" data-testid="gmail-connected">
          Connected {connected}. Its recent mail is being imported.
        </p>
      ) : null}
      {failed ? (
        <p className="text-sm text-destructive" role="alert" data-testid="gmail-error">
          {failed}
        </p>
      ) : null}
      {list.isPending ? (
        <p className="text-sm text-muted-foreground" aria-live="polite">
          Loading…
        </p>
      ) : list.isError ? (
        <ErrorMessage error={list.error} />
      ) : !list.data.configured ? (
        <Section title="Not set up on this server">
          <p className="text-sm text-muted-foreground" data-testid="gmail-not-configured">
            Set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET on the server to connect Gmail (see
            docs/gmail.md).
          </p>
        </Section>
      ) : (
        <>
          <ConnectMailbox />
          <Section title="Connected mailboxes" description="Checked for new mail every minute.">
            {list.data.connections.length === 0 ? (
              <p className="text-sm text-muted-foreground" data-testid="gmail-empty">
                No mailbox connected yet.
              </p>
            ) : (
              <ul className="-my-3 divide-y" data-testid="gmail-connections">
                {list.data.connections.map((connection) => (
                  <ConnectionRow key={connection.id} connection={connection} />
                ))}
              </ul>
            )}
          </Section>
        </>
      )}
    </SettingsPage>
  );
}

function ConnectMailbox() {
  const trpc = useTRPC();
  const inboxes = useQuery(trpc.inboxes.list.queryOptions());
  const [inboxId, setInboxId] = useState("");
  const chosen = inboxId || inboxes.data?.[0]?.id || "";
  return (
    <Section
      title="Connect a mailbox"
      description="You will sign in with Google and allow Netia to read, send and label this mailbox's mail."
    >
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (chosen) window.location.assign(startUrl(chosen));
        }}
      >
        <Field label="Inbox" name="inboxId" className="min-w-48 flex-1">
          {(c) => (
            <NativeSelect {...c} value={chosen} onChange={(e) => setInboxId(e.target.value)}>
              {(inboxes.data ?? []).map((inbox) => (
                <option key={inbox.id} value={inbox.id}>
                  {inbox.name}
                </option>
              ))}
            </NativeSelect>
          )}
        </Field>
        <Button type="submit" disabled={!chosen} data-testid="gmail-connect">
          Connect Gmail
        </Button>
      </form>
    </Section>
  );
}

function ConnectionRow({ connection }: { connection: Connection }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const disconnect = useMutation(
    trpc.gmail.disconnect.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.gmail.list.queryKey() }),
    }),
  );
  const needsReconnect = connection.status === "reconnect_required";
  return (
    <li className="grid gap-2 py-3" data-testid="gmail-connection">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="grid gap-0.5">
          <span className="font-medium">{connection.emailAddress}</span>
          <span className="text-xs text-muted-foreground">
            Inbox: {connection.inboxName} ·{" "}
            {connection.lastSyncedAt
              ? `last checked ${connection.lastSyncedAt.toLocaleString()}`
              : "not checked yet"}
          </span>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {needsReconnect ? (
            <Badge variant="warning">Reconnect needed</Badge>
          ) : (
            <Badge variant="success">Active</Badge>
          )}
          {needsReconnect ? (
            <Button asChild size="sm" variant="outline">
              <a href={startUrl(connection.inboxId)}>Reconnect</a>
            </Button>
          ) : null}
          <ConfirmButton
            label="Disconnect"
            question={`Disconnect ${connection.emailAddress}?`}
            onConfirm={() => disconnect.mutate({ id: connection.id })}
            pending={disconnect.isPending}
          />
        </div>
      </div>
      {needsReconnect && connection.lastError ? (
        <p className="text-xs text-destructive" data-testid="gmail-connection-error">
          Google refused Netia's access: {connection.lastError}. Sign in again with Reconnect;
          nothing is imported or sent from this mailbox until then.
        </p>
      ) : null}
      {!needsReconnect && connection.lastError ? (
        <p className="text-xs text-muted-foreground" data-testid="gmail-connection-warning">
          {connection.lastError}
        </p>
      ) : null}
      <ErrorMessage error={disconnect.error} />
    </li>
  );
}
