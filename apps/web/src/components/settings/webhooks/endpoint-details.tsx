"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { RotateCw, Send } from "lucide-react";
import { useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Section } from "@/components/settings/fields";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { messageTime } from "@/lib/format";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { SecretOnce } from "./create-endpoint-form";
import type { Endpoint } from "./endpoint-list";

type Delivery = RouterOutputs["webhooks"]["deliveries"]["items"][number];

/** One endpoint: its state and actions, and its delivery log (newest first). */
export function EndpointDetails({ endpoint }: { endpoint: Endpoint }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [secret, setSecret] = useState<string | null>(null);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.webhooks.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.webhooks.deliveries.pathKey() }),
    ]);
  const log = useInfiniteQuery(
    trpc.webhooks.deliveries.infiniteQueryOptions(
      { endpointId: endpoint.id, limit: 25 },
      {
        getNextPageParam: (page) => page.nextCursor ?? undefined,
        // Pending deliveries turn delivered or failed in the background.
        refetchInterval: (query) =>
          query.state.data?.pages.some((p) => p.items.some((d) => d.status === "pending"))
            ? 2000
            : false,
      },
    ),
  );
  const update = useMutation(trpc.webhooks.update.mutationOptions({ onSettled: refresh }));
  const sendTest = useMutation(trpc.webhooks.sendTest.mutationOptions({ onSettled: refresh }));
  const rotate = useMutation(
    trpc.webhooks.rotateSecret.mutationOptions({ onSuccess: (r) => setSecret(r.secret) }),
  );
  const remove = useMutation(trpc.webhooks.delete.mutationOptions({ onSettled: refresh }));
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Section
      title="Deliveries"
      description={endpoint.url}
      actions={
        <div className="flex flex-wrap justify-end gap-2">
          <Button
            type="button"
            size="sm"
            variant="outline"
            disabled={!endpoint.enabled || sendTest.isPending}
            onClick={() => sendTest.mutate({ endpointId: endpoint.id })}
            data-testid="webhook-send-test"
          >
            <Send aria-hidden />
            Send test event
          </Button>
          <Button
            type="button"
            size="sm"
            variant="outline"
            disabled={update.isPending}
            onClick={() => update.mutate({ id: endpoint.id, enabled: !endpoint.enabled })}
            data-testid="webhook-toggle"
          >
            {endpoint.enabled ? "Switch off" : "Switch on"}
          </Button>
        </div>
      }
    >
      {!endpoint.enabled ? (
        <p className="text-sm text-destructive" role="status" data-testid="webhook-disabled-reason">
          Switched off{endpoint.disabledReason ? `: ${endpoint.disabledReason}` : ""}. Nothing is
          sent to it until it is switched on again.
        </p>
      ) : null}
      <ErrorMessage error={update.error ?? sendTest.error ?? rotate.error ?? remove.error} />
      {log.isError ? <ErrorMessage error={log.error} /> : null}
      {log.isSuccess && rows.length === 0 ? (
        <p className="text-sm text-muted-foreground" data-testid="webhook-deliveries-empty">
          Nothing sent yet. Send a test event to try the receiver.
        </p>
      ) : null}
      {rows.length > 0 ? <DeliveryTable rows={rows} onRedelivered={refresh} /> : null}
      {log.hasNextPage ? (
        <Button
          type="button"
          variant="outline"
          size="sm"
          disabled={log.isFetchingNextPage}
          onClick={() => log.fetchNextPage()}
        >
          {log.isFetchingNextPage ? "Loading…" : "Show older deliveries"}
        </Button>
      ) : null}
      <div className="flex flex-wrap gap-2 border-t pt-4">
        <Button
          type="button"
          size="sm"
          variant="outline"
          disabled={rotate.isPending}
          onClick={() => rotate.mutate({ id: endpoint.id })}
        >
          Rotate signing secret
        </Button>
        <Button
          type="button"
          size="sm"
          variant="destructive"
          disabled={remove.isPending}
          onClick={() => {
            if (window.confirm(`Remove the endpoint ${endpoint.url} and its delivery log?`)) {
              remove.mutate({ id: endpoint.id });
            }
          }}
        >
          Remove endpoint
        </Button>
      </div>
      {secret ? <SecretOnce secret={secret} /> : null}
    </Section>
  );
}

const STATUS: Record<
  Delivery["status"],
  { label: string; variant: "outline" | "success" | "destructive" }
> = {
  pending: { label: "Pending", variant: "outline" },
  delivered: { label: "Delivered", variant: "success" },
  failed: { label: "Failed", variant: "destructive" },
};

function DeliveryTable({ rows, onRedelivered }: { rows: Delivery[]; onRedelivered: () => void }) {
  return (
    <div className="-mx-5 overflow-x-auto">
      <table className="w-full text-sm" data-testid="webhook-deliveries">
        <thead className="border-b text-left text-xs text-muted-foreground">
          <tr>
            <th className="w-full px-5 py-2 font-medium">Event</th>
            <th className="px-2 py-2 font-medium">Status</th>
            <th className="px-2 py-2 text-right font-medium">Code</th>
            <th className="px-2 py-2 text-right font-medium">Time</th>
            <th className="px-2 py-2 text-right font-medium">Attempts</th>
            <th className="px-5 py-2 font-medium">Sent</th>
          </tr>
        </thead>
        <tbody className="divide-y">
          {rows.map((d) => (
            <tr
              key={d.id}
              className="align-top"
              data-testid="webhook-delivery"
              data-status={d.status}
              data-event-type={d.eventType}
            >
              <td className="w-full max-w-0 px-5 py-2">
                <span className="block truncate font-medium">{d.eventType}</span>
                <span className="block truncate text-xs text-muted-foreground">{d.webhookId}</span>
                {d.lastError ? (
                  <p className="mt-1 line-clamp-2 text-xs text-destructive">{d.lastError}</p>
                ) : null}
                {d.status !== "pending" ? <Redeliver id={d.id} onDone={onRedelivered} /> : null}
              </td>
              <td className="px-2 py-2">
                <Badge variant={STATUS[d.status].variant}>{STATUS[d.status].label}</Badge>
              </td>
              <td className="px-2 py-2 text-right tabular-nums" data-testid="webhook-delivery-code">
                {d.lastStatusCode ?? "—"}
              </td>
              <td className="whitespace-nowrap px-2 py-2 text-right tabular-nums">
                {d.lastDurationMs === null ? "—" : `${d.lastDurationMs} ms`}
              </td>
              <td className="px-2 py-2 text-right tabular-nums">{d.attempts}</td>
              <td className="whitespace-nowrap px-5 py-2 text-muted-foreground">
                <time dateTime={d.createdAt}>{messageTime(d.createdAt)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Redeliver({ id, onDone }: { id: string; onDone: () => void }) {
  const trpc = useTRPC();
  const redeliver = useMutation(trpc.webhooks.redeliver.mutationOptions({ onSettled: onDone }));
  return (
    <div className="mt-1 grid justify-items-start gap-1">
      <Button
        type="button"
        variant="ghost"
        size="sm"
        className="h-7 px-2"
        disabled={redeliver.isPending}
        onClick={() => redeliver.mutate({ deliveryId: id })}
        data-testid="webhook-redeliver"
      >
        <RotateCw aria-hidden />
        {redeliver.isPending ? "Sending…" : "Send again"}
      </Button>
      <ErrorMessage error={redeliver.error} />
    </div>
  );
}
