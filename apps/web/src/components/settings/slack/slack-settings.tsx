"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { ErrorMessage } from "@/components/error-message";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { ConfirmButton } from "../confirm-button";
import { Section } from "../fields";
import { SettingsPage } from "../settings-page";
import { FailedPosts } from "./failed-posts";
import { SlackPostingForm } from "./posting-form";

type SlackConnection = NonNullable<RouterOutputs["slack"]["status"]["connection"]>;

/** Where the browser goes to install the app: the route sends it on to Slack's consent screen. */
const SLACK_INSTALL_URL = "/api/integrations/slack/install";

/**
 * Settings → Slack (admins): install Netia's app into the team's workspace,
 * choose the channel new conversations are posted in, threads or alerts, the
 * prefix that makes a thread reply a private note, and see what failed.
 */
export function SlackSettingsPage() {
  const trpc = useTRPC();
  const status = useQuery(trpc.slack.status.queryOptions());
  const params = useSearchParams();
  const connected = params.get("connected");
  const failed = params.get("error");
  return (
    <SettingsPage
      title="Slack"
      description="Answer customers from Slack: each conversation becomes a thread in a channel of your choice, and replies in the thread reach the customer."
    >
      {connected ? (
        <p className="text-sm" role="status" data-testid="slack-connected">
          Connected to the {connected} workspace.
        </p>
      ) : null}
      {failed ? (
        <p className="text-sm text-destructive" role="alert" data-testid="slack-error">
          {failed}
        </p>
      ) : null}
      {status.isPending ? (
        <p className="text-sm text-muted-foreground" aria-live="polite">
          Loading…
        </p>
      ) : status.isError ? (
        <ErrorMessage error={status.error} />
      ) : !status.data.configured ? (
        <Section title="Not set up on this server">
          <p className="text-sm text-muted-foreground" data-testid="slack-not-configured">
            Set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET on the server to
            connect Slack (see docs/slack.md).
          </p>
        </Section>
      ) : !status.data.connection ? (
        <Section
          title="Connect Slack"
          description="You will choose a workspace in Slack and allow Netia's app to post in its channels and read the threads it started."
        >
          <Button asChild data-testid="slack-install">
            <a href={SLACK_INSTALL_URL}>Add to Slack</a>
          </Button>
        </Section>
      ) : (
        <>
          <Workspace connection={status.data.connection} />
          {status.data.connection.status === "active" ? (
            <SlackPostingForm connection={status.data.connection} />
          ) : null}
          <FailedPosts />
        </>
      )}
    </SettingsPage>
  );
}

function Workspace({ connection }: { connection: SlackConnection }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const disconnect = useMutation(
    trpc.slack.disconnect.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.slack.pathKey() }),
    }),
  );
  const needsReconnect = connection.status === "reconnect_required";
  return (
    <Section title="Workspace">
      <div className="grid gap-2" data-testid="slack-workspace">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <div className="grid gap-0.5">
            <span className="font-medium">{connection.teamName}</span>
            <span className="text-xs text-muted-foreground">
              {connection.channelName
                ? `Posting in #${connection.channelName}`
                : "No channel chosen yet"}
            </span>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            {needsReconnect ? (
              <Badge variant="warning" data-testid="slack-reconnect-needed">
                Reconnect needed
              </Badge>
            ) : (
              <Badge variant="success">Active</Badge>
            )}
            {needsReconnect ? (
              <Button asChild size="sm" variant="outline">
                <a href={SLACK_INSTALL_URL}>Reconnect</a>
              </Button>
            ) : null}
            <ConfirmButton
              label="Disconnect"
              question={`Disconnect ${connection.teamName}?`}
              onConfirm={() => disconnect.mutate()}
              pending={disconnect.isPending}
              testId="slack-disconnect"
            />
          </div>
        </div>
        {needsReconnect ? (
          <p className="text-xs text-destructive" data-testid="slack-connection-error">
            {connection.lastError ?? "Slack refused Netia's token"}. Install the app again with
            Reconnect; nothing is posted to or read from Slack until then, and what waited is posted
            once you do.
          </p>
        ) : null}
        <ErrorMessage error={disconnect.error} />
      </div>
    </Section>
  );
}
