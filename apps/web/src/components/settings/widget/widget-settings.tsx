"use client";

import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useRef } from "react";
import { useMe } from "@/components/auth/auth-gate";
import { ErrorMessage } from "@/components/error-message";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { IdentityVerification } from "../identity-verification";
import { InstallSnippets } from "../install-snippets";
import { SettingsPage } from "../settings-page";
import { InboxPicker } from "./inbox-picker";
import { WidgetEditor } from "./widget-editor";

type Inbox = RouterOutputs["inboxes"]["list"][number];

/**
 * Settings → Chat widget (admins): one inbox's widget at a time, chosen by
 * `?inbox=<id>` (the default inbox without it), so Settings → Inboxes links here.
 */
export function WidgetSettingsPage() {
  const me = useMe();
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const inboxes = useQuery(trpc.inboxes.list.queryOptions());
  const dirty = useRef(false);

  const requested = searchParams.get("inbox");
  const list = inboxes.data ?? [];
  const inbox =
    list.find((i) => i.id === requested) ?? list.find((i) => i.isDefault) ?? list[0] ?? null;

  const pick = (id: string) => {
    if (dirty.current && !window.confirm("Discard your unsaved changes to this inbox's widget?")) {
      return;
    }
    dirty.current = false;
    router.replace(`${pathname}?inbox=${encodeURIComponent(id)}`);
  };

  return (
    <SettingsPage
      title="Chat widget"
      description="How the chat looks and behaves on your website, for each inbox."
      width="wide"
      actions={inbox ? <InboxPicker inboxes={list} value={inbox.id} onChange={pick} /> : null}
    >
      {inboxes.isError ? <ErrorMessage error={inboxes.error} /> : null}
      {inboxes.isPending ? <p className="text-sm text-muted-foreground">Loading inboxes…</p> : null}
      {inbox ? (
        <InboxWidget
          key={inbox.id}
          inbox={inbox}
          accountId={me.account.id}
          onDirtyChange={(value) => {
            dirty.current = value;
          }}
        />
      ) : null}
    </SettingsPage>
  );
}

function InboxWidget({
  inbox,
  accountId,
  onDirtyChange,
}: {
  inbox: Inbox;
  accountId: string;
  onDirtyChange: (dirty: boolean) => void;
}) {
  const trpc = useTRPC();
  const settings = useQuery(trpc.inboxes.getWidgetSettings.queryOptions({ inboxId: inbox.id }));
  const origin = typeof window === "undefined" ? "" : window.location.origin;

  return (
    <>
      {settings.isError ? <ErrorMessage error={settings.error} /> : null}
      {settings.data ? (
        <WidgetEditor inboxId={inbox.id} initial={settings.data} onDirtyChange={onDirtyChange} />
      ) : settings.isPending ? (
        <p className="text-sm text-muted-foreground" aria-live="polite">
          Loading the widget's settings…
        </p>
      ) : null}
      <div className="grid grid-cols-1 gap-6 lg:max-w-[calc(100%-432px)]">
        <InstallSnippets origin={origin} accountId={accountId} inboxId={inbox.id} />
        <IdentityVerification inbox={inbox} accountId={accountId} isAdmin />
      </div>
    </>
  );
}
