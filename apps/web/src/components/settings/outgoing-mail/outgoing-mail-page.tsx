"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { AdminOnly } from "@/components/settings/admin-only";
import { Choice, Section } from "@/components/settings/fields";
import { SettingsPage } from "@/components/settings/settings-page";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/lib/trpc";
import { EmailPreview } from "./email-preview";
import type { EmailStatus } from "./email-status";
import { OutgoingMailTable } from "./outgoing-mail-table";

type Filter = "all" | EmailStatus;

/**
 * Settings → Outgoing mail (admins): every email Netia sent or tried to send
 * for the account, with what went wrong and a retry for failed ones. Without
 * SMTP the emails are listed here too (sent to the log), so invitations and
 * alerts can be followed with nothing configured.
 */
export function OutgoingMailPage() {
  return (
    <AdminOnly page="outgoing mail">
      <OutgoingMail />
    </AdminOnly>
  );
}

function OutgoingMail() {
  const trpc = useTRPC();
  const [filter, setFilter] = useState<Filter>("all");
  const [selected, setSelected] = useState<string | null>(null);
  const list = useInfiniteQuery(
    trpc.email.outgoing.infiniteQueryOptions(
      { status: filter === "all" ? undefined : filter, limit: 25 },
      {
        getNextPageParam: (page) => page.nextCursor ?? undefined,
        // Queued emails turn sent or failed in the background.
        refetchInterval: (query) =>
          query.state.data?.pages.some((p) => p.items.some((e) => e.status === "queued"))
            ? 5000
            : false,
      },
    ),
  );
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <SettingsPage
      title="Outgoing mail"
      description="Every email sent for your team: invitations, password resets, alerts and replies. Failed ones can be sent again."
      width="wide"
    >
      <div className="grid gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Section
          title="Emails"
          description="Newest first."
          actions={
            <Choice
              legend="Show"
              name="email-status-filter"
              value={filter}
              onChange={(value) => {
                setFilter(value);
                setSelected(null);
              }}
              options={[
                { value: "all", label: "All" },
                { value: "failed", label: "Failed" },
                { value: "queued", label: "Queued" },
                { value: "sent", label: "Sent" },
                { value: "skipped", label: "Skipped" },
              ]}
              className="[&_legend]:sr-only"
            />
          }
        >
          {list.isError ? <ErrorMessage error={list.error} /> : null}
          {list.isPending ? (
            <p className="text-sm text-muted-foreground" aria-live="polite">
              Loading emails…
            </p>
          ) : null}
          {list.isSuccess && rows.length === 0 ? (
            <p className="text-sm text-muted-foreground" data-testid="outgoing-mail-empty">
              {filter === "all"
                ? "No email has been sent yet. Invitations, password resets and alerts will show here."
                : `No ${filter} emails.`}
            </p>
          ) : null}
          {rows.length > 0 ? (
            <OutgoingMailTable rows={rows} selected={selected} onSelect={setSelected} />
          ) : null}
          {list.hasNextPage ? (
            <Button
              type="button"
              variant="outline"
              size="sm"
              className="mt-3"
              disabled={list.isFetchingNextPage}
              onClick={() => list.fetchNextPage()}
            >
              {list.isFetchingNextPage ? "Loading…" : "Show older emails"}
            </Button>
          ) : null}
        </Section>
        <section
          className="min-w-0 self-start rounded-xl border bg-card text-card-foreground shadow-sm"
          aria-label="Selected email"
        >
          {selected ? (
            <EmailPreview id={selected} />
          ) : (
            <p className="p-4 text-sm text-muted-foreground">
              Choose an email to see what was sent.
            </p>
          )}
        </section>
      </div>
    </SettingsPage>
  );
}
