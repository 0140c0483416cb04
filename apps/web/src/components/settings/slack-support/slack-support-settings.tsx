"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { NativeSelect } from "@/components/ui/native-select";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { ConfirmButton } from "../confirm-button";
import { Field, Section } from "../fields";
import { SettingsPage } from "../settings-page";

type SupportChannel = RouterOutputs["slackSupport"]["list"]["channels"][number];

/**
 * Settings → Slack support channels (admins): shared Slack channels tied to a
 * company and an inbox. A customer's message there starts a conversation;
 * the team's replies go back to its thread (docs/slack-inbound.md).
 */
export function SlackSupportSettingsPage() {
  const trpc = useTRPC();
  const list = useQuery(trpc.slackSupport.list.queryOptions());
  return (
    <SettingsPage
      title="Slack support channels"
      description="Connect a channel shared with a customer (Slack Connect) to their company: each message they start there becomes a conversation, and your replies go back to its thread."
    >
      {list.isPending ? (
        <p className="text-sm text-muted-foreground" aria-live="polite">
          Loading…
        </p>
      ) : list.isError ? (
        <ErrorMessage error={list.error} />
      ) : !list.data.connected ? (
        <Section title="Slack is not connected">
          <p className="text-sm text-muted-foreground" data-testid="slack-support-not-connected">
            {list.data.configured
              ? "Install Netia in your Slack workspace first, in Settings → Slack."
              : "Set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET on the server first (see docs/slack.md)."}
          </p>
        </Section>
      ) : (
        <>
          <ConnectChannel connected={list.data.channels} />
          <Section title="Support channels" description={`In ${list.data.teamName ?? "Slack"}.`}>
            {list.data.channels.length === 0 ? (
              <p className="text-sm text-muted-foreground" data-testid="slack-support-empty">
                No support channel connected yet.
              </p>
            ) : (
              <ul className="-my-3 divide-y" data-testid="slack-support-channels">
                {list.data.channels.map((channel) => (
                  <ChannelRow key={channel.id} channel={channel} />
                ))}
              </ul>
            )}
          </Section>
        </>
      )}
    </SettingsPage>
  );
}

function ConnectChannel({ connected }: { connected: SupportChannel[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const channels = useQuery(trpc.slack.channels.queryOptions());
  const companies = useQuery(trpc.companies.list.queryOptions({ limit: 100 }));
  const inboxes = useQuery(trpc.inboxes.list.queryOptions());
  const taken = new Set(connected.map((c) => c.channelId));
  const choices = (channels.data ?? []).filter((c) => !taken.has(c.id));
  const [channelId, setChannelId] = useState("");
  const [companyId, setCompanyId] = useState("");
  const [inboxId, setInboxId] = useState("");
  const chosenInbox = inboxId || inboxes.data?.[0]?.id || "";
  const connect = useMutation(
    trpc.slackSupport.connect.mutationOptions({
      onSuccess: () => {
        setChannelId("");
        setCompanyId("");
        return queryClient.invalidateQueries({ queryKey: trpc.slackSupport.list.queryKey() });
      },
    }),
  );
  return (
    <Section
      title="Connect a channel"
      description="Netia's app joins a public channel by itself; invite it to a private one first (/invite @Netia)."
    >
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (channelId && companyId && chosenInbox) {
            connect.mutate({ channelId, companyId, inboxId: chosenInbox });
          }
        }}
      >
        <Field label="Slack channel" name="channelId" className="min-w-48 flex-1">
          {(c) => (
            <NativeSelect {...c} value={channelId} onChange={(e) => setChannelId(e.target.value)}>
              <option value="">{channels.isPending ? "Loading…" : "Choose a channel"}</option>
              {choices.map((channel) => (
                <option key={channel.id} value={channel.id}>
                  #{channel.name}
                  {channel.isPrivate ? " (private)" : ""}
                </option>
              ))}
            </NativeSelect>
          )}
        </Field>
        <Field label="Company" name="companyId" className="min-w-48 flex-1">
          {(c) => (
            <NativeSelect {...c} value={companyId} onChange={(e) => setCompanyId(e.target.value)}>
              <option value="">Choose a company</option>
              {(companies.data?.items ?? []).map((company) => (
                <option key={company.id} value={company.id}>
                  {company.name}
                </option>
              ))}
            </NativeSelect>
          )}
        </Field>
        <Field label="Inbox" name="inboxId" className="min-w-40 flex-1">
          {(c) => (
            <NativeSelect {...c} value={chosenInbox} onChange={(e) => setInboxId(e.target.value)}>
              {(inboxes.data ?? []).map((inbox) => (
                <option key={inbox.id} value={inbox.id}>
                  {inbox.name}
                </option>
              ))}
            </NativeSelect>
          )}
        </Field>
        <Button
          type="submit"
          disabled={!channelId || !companyId || !chosenInbox || connect.isPending}
          data-testid="slack-support-connect"
        >
          Connect channel
        </Button>
      </form>
      <ErrorMessage error={channels.error ?? connect.error} />
    </Section>
  );
}

function ChannelRow({ channel }: { channel: SupportChannel }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const disconnect = useMutation(
    trpc.slackSupport.disconnect.mutationOptions({
      onSuccess: () =>
        queryClient.invalidateQueries({ queryKey: trpc.slackSupport.list.queryKey() }),
    }),
  );
  return (
    <li className="grid gap-2 py-3" data-testid="slack-support-channel">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="grid gap-0.5">
          <span className="font-medium">#{channel.channelName}</span>
          <span className="text-xs text-muted-foreground">
            {channel.companyName} · Inbox: {channel.inboxName}
          </span>
        </div>
        <ConfirmButton
          label="Disconnect"
          question={`Stop starting conversations from #${channel.channelName}?`}
          onConfirm={() => disconnect.mutate({ id: channel.id })}
          pending={disconnect.isPending}
        />
      </div>
      <ErrorMessage error={disconnect.error} />
    </li>
  );
}
