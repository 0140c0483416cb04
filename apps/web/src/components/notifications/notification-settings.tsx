"use client";

// Settings → Notifications: what alerts this agent while the dashboard tab is
// hidden, what reaches them by email (and how often), and the browser's
// permission for desktop notifications. Each switch saves at once; the server
// merges one switch at a time.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Choice, Switch } from "@/components/settings/fields";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { useTRPC } from "@/lib/trpc";
import type { Preferences } from "./alert-rules";

const SWITCHES: { key: BooleanPreference; label: string; hint: string }[] = [
  {
    key: "newConversation",
    label: "New conversations",
    hint: "A customer starts a conversation in any inbox.",
  },
  {
    key: "assignedMessage",
    label: "Messages in my conversations",
    hint: "A customer writes in a conversation assigned to you.",
  },
  { key: "mention", label: "Mentions", hint: "A teammate @mentions you in a reply or note." },
  { key: "sound", label: "Play a sound", hint: "A short chime with each alert." },
  {
    key: "desktop",
    label: "Desktop notifications",
    hint: "A browser notification you can click to open the conversation.",
  },
];

type BooleanPreference = {
  [K in keyof Preferences]: Preferences[K] extends boolean ? K : never;
}[keyof Preferences];

const EMAIL_SWITCHES: { key: BooleanPreference; label: string; hint: string }[] = [
  {
    key: "emailNewConversation",
    label: "New conversations",
    hint: "Every conversation a customer starts, in any inbox.",
  },
  {
    key: "emailAssignedMessage",
    label: "Messages in my conversations",
    hint: "A customer writes in a conversation assigned to you.",
  },
  { key: "emailMention", label: "Mentions", hint: "A teammate @mentions you." },
  {
    key: "emailHandoff",
    label: "Handoffs from the assistant",
    hint: "The assistant hands a conversation to people (yours, or unassigned ones).",
  },
];

const DELIVERY = [
  { value: "immediate", label: "Right away" },
  { value: "hourly", label: "Hourly digest" },
] as const;

export function NotificationSettings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const key = trpc.notifications.preferences.queryKey();
  const preferences = useQuery(trpc.notifications.preferences.queryOptions());
  const update = useMutation(
    trpc.notifications.updatePreferences.mutationOptions({
      onMutate: async (change) => {
        await queryClient.cancelQueries({ queryKey: key });
        const before = queryClient.getQueryData(key);
        if (before) queryClient.setQueryData(key, { ...before, ...change });
        return { before };
      },
      onError: (_error, _change, context) => {
        if (context?.before) queryClient.setQueryData(key, context.before);
      },
      onSuccess: (saved) => queryClient.setQueryData(key, saved),
    }),
  );

  return (
    <div className="mx-auto grid max-w-3xl grid-cols-1 gap-6 p-4 sm:p-6">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Notifications</h1>
        <p className="text-sm text-muted-foreground">
          While the Netia tab is in the background, you are alerted about what you choose here. The
          tab's title always shows how many conversations are unread.
        </p>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>Alert me about</CardTitle>
          <CardDescription>These settings are yours; teammates choose their own.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5" data-testid="notification-preferences">
          {preferences.isPending ? (
            <p className="text-sm text-muted-foreground">Loading your settings…</p>
          ) : preferences.error ? (
            <ErrorMessage error={preferences.error} />
          ) : (
            SWITCHES.map(({ key: name, label, hint }) => (
              <Switch
                key={name}
                label={label}
                hint={hint}
                checked={preferences.data[name]}
                onChange={(checked) => update.mutate({ [name]: checked })}
                testId={`notify-${name}`}
              />
            ))
          )}
          <ErrorMessage error={update.error} />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Email me about</CardTitle>
          <CardDescription>
            Alerts that come together go out in one email: right away (about two minutes after the
            first, never more than one every five minutes), or once an hour. Every email has a link
            that turns them all off.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5" data-testid="email-preferences">
          {preferences.data ? (
            <>
              {EMAIL_SWITCHES.map(({ key: name, label, hint }) => (
                <Switch
                  key={name}
                  label={label}
                  hint={hint}
                  checked={preferences.data[name]}
                  onChange={(checked) => update.mutate({ [name]: checked })}
                  testId={`notify-${name}`}
                />
              ))}
              <Choice
                legend="Send alert emails"
                name="email-delivery"
                value={preferences.data.emailDelivery}
                options={DELIVERY}
                onChange={(emailDelivery) => update.mutate({ emailDelivery })}
              />
            </>
          ) : (
            <p className="text-sm text-muted-foreground">Loading your settings…</p>
          )}
        </CardContent>
      </Card>

      <BrowserPermission />
    </div>
  );
}

type Permission = NotificationPermission | "unsupported";

function currentPermission(): Permission {
  return typeof Notification === "undefined" ? "unsupported" : Notification.permission;
}

/** Desktop notifications need the browser's permission, asked for by a click. */
function BrowserPermission() {
  const [permission, setPermission] = useState<Permission>("default");
  useEffect(() => setPermission(currentPermission()), []);

  return (
    <Card>
      <CardHeader>
        <CardTitle>This browser</CardTitle>
        <CardDescription>Desktop notifications are allowed per browser.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3 text-sm" data-testid="notification-permission">
        {permission === "granted" ? (
          <p>Desktop notifications are allowed in this browser.</p>
        ) : permission === "denied" ? (
          <p>
            This browser blocks notifications from Netia. Allow them in the site settings (the icon
            left of the address), then reload.
          </p>
        ) : permission === "unsupported" ? (
          <p>This browser cannot show desktop notifications; sounds still play.</p>
        ) : (
          <div className="flex flex-wrap items-center gap-3">
            <p>Netia needs your permission to show desktop notifications.</p>
            <Button
              size="sm"
              onClick={() => void Notification.requestPermission().then(setPermission)}
              data-testid="notification-allow"
            >
              Allow notifications
            </Button>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
