"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { Choice, Field, Section } from "../fields";

type SlackConnection = NonNullable<RouterOutputs["slack"]["status"]["connection"]>;

/**
 * Where and how conversations appear in Slack: the channel (from the
 * workspace's own list; the app joins a public one by itself), threads or
 * alerts, and the prefix that makes a thread reply a private note.
 */
export function SlackPostingForm({ connection }: { connection: SlackConnection }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const channels = useQuery(trpc.slack.channels.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.slack.pathKey() });
  const choose = useMutation(trpc.slack.chooseChannel.mutationOptions({ onSuccess: refresh }));
  const update = useMutation(trpc.slack.update.mutationOptions({ onSuccess: refresh }));
  const [channelId, setChannelId] = useState(connection.channelId ?? "");
  const [prefix, setPrefix] = useState(connection.notePrefix);
  return (
    <Section
      title="Posting"
      description="New conversations go to this channel; the app's messages there are the team's view of each conversation."
    >
      <div className="grid gap-5">
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (channelId) choose.mutate({ channelId });
          }}
        >
          <Field label="Channel" name="slackChannel" className="min-w-48 flex-1">
            {(c) => (
              <NativeSelect
                {...c}
                value={channelId}
                onChange={(e) => setChannelId(e.target.value)}
                disabled={channels.isPending}
              >
                <option value="">{channels.isPending ? "Loading channels…" : "Choose…"}</option>
                {(channels.data ?? []).map((channel) => (
                  <option key={channel.id} value={channel.id}>
                    {channel.isPrivate ? "🔒 " : "#"}
                    {channel.name}
                    {channel.isPrivate && !channel.isMember ? " (invite the app first)" : ""}
                  </option>
                ))}
              </NativeSelect>
            )}
          </Field>
          <Button
            type="submit"
            disabled={!channelId || channelId === connection.channelId || choose.isPending}
            data-testid="slack-save-channel"
          >
            Use this channel
          </Button>
        </form>
        <ErrorMessage error={channels.error ?? choose.error} />
        <Choice
          legend="In the channel"
          name="slackMode"
          value={connection.mode}
          disabled={update.isPending}
          onChange={(mode) => update.mutate({ mode })}
          options={[
            { value: "threads", label: "A thread per conversation" },
            { value: "alerts", label: "Alerts only" },
          ]}
        />
        <p className="-mt-3 text-xs text-muted-foreground">
          {connection.mode === "threads"
            ? "Every message of a conversation goes to its thread, and a reply there reaches the customer."
            : "One message per new conversation and customer message, without threads; answer in Netia."}
        </p>
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            update.mutate({ notePrefix: prefix });
          }}
        >
          <Field
            label="Private note prefix"
            name="slackNotePrefix"
            hint="A thread reply starting with this is a note the customer never sees."
            className="w-48"
          >
            {(c) => (
              <Input
                {...c}
                value={prefix}
                maxLength={10}
                onChange={(e) => setPrefix(e.target.value)}
              />
            )}
          </Field>
          <Button
            type="submit"
            variant="outline"
            disabled={prefix === connection.notePrefix || update.isPending}
          >
            Save prefix
          </Button>
        </form>
        <ErrorMessage error={update.error} />
      </div>
    </Section>
  );
}
