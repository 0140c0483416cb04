"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { AdminOnly } from "@/components/settings/admin-only";
import { Section } from "@/components/settings/fields";
import { SettingsPage } from "@/components/settings/settings-page";
import { useTRPC } from "@/lib/trpc";
import { CreateEndpointForm } from "./create-endpoint-form";
import { EndpointDetails } from "./endpoint-details";
import { EndpointList } from "./endpoint-list";

/**
 * Settings → Webhooks (admins): the URLs that receive the team's events,
 * a form to add one (its signing secret is shown once), and the selected
 * endpoint's delivery log with redelivery. docs/webhooks.md explains them.
 */
export function WebhooksPage() {
  return (
    <AdminOnly page="webhooks">
      <Webhooks />
    </AdminOnly>
  );
}

function Webhooks() {
  const trpc = useTRPC();
  const list = useQuery(trpc.webhooks.list.queryOptions());
  const [selected, setSelected] = useState<string | null>(null);
  const endpoints = list.data?.endpoints ?? [];
  const current = endpoints.find((e) => e.id === selected) ?? endpoints[0] ?? null;
  return (
    <SettingsPage
      title="Webhooks"
      description="Netia sends your team's events (new messages, conversations, customers) to these URLs as signed JSON, retrying for a day when a receiver is down."
      width="wide"
    >
      <div className="grid gap-6 xl:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <div className="grid content-start gap-6">
          <Section title="Endpoints" description="Choose one to see its deliveries.">
            {list.isError ? <ErrorMessage error={list.error} /> : null}
            {list.isPending ? <p className="text-sm text-muted-foreground">Loading…</p> : null}
            {list.isSuccess && endpoints.length === 0 ? (
              <p className="text-sm text-muted-foreground" data-testid="webhooks-empty">
                No endpoint yet. Add one below.
              </p>
            ) : null}
            {endpoints.length > 0 ? (
              <EndpointList
                endpoints={endpoints}
                selected={current?.id ?? null}
                onSelect={setSelected}
              />
            ) : null}
          </Section>
          <CreateEndpointForm eventTypes={list.data?.eventTypes ?? []} onCreated={setSelected} />
        </div>
        {current ? <EndpointDetails endpoint={current} /> : null}
      </div>
    </SettingsPage>
  );
}
