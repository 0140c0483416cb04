"use client";

import { Badge } from "@/components/ui/badge";
import type { RouterOutputs } from "@/lib/trpc";
import { cn } from "@/lib/utils";

export type Endpoint = RouterOutputs["webhooks"]["list"]["endpoints"][number];

/** The endpoints, each with its events and whether it is on (and why not). */
export function EndpointList({
  endpoints,
  selected,
  onSelect,
}: {
  endpoints: Endpoint[];
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  return (
    <ul className="-mx-5 -my-4 divide-y" data-testid="webhook-endpoints">
      {endpoints.map((endpoint) => (
        <li
          key={endpoint.id}
          data-testid="webhook-endpoint"
          data-enabled={endpoint.enabled}
          className={cn(selected === endpoint.id && "bg-accent/60")}
        >
          <button
            type="button"
            onClick={() => onSelect(endpoint.id)}
            aria-pressed={selected === endpoint.id}
            className="grid w-full min-w-0 gap-1 px-5 py-3 text-left outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-inset"
          >
            <span className="flex min-w-0 items-center gap-2">
              <span className="truncate font-medium text-sm">{endpoint.url}</span>
              <EndpointState endpoint={endpoint} />
            </span>
            {endpoint.description ? (
              <span className="truncate text-xs text-muted-foreground">{endpoint.description}</span>
            ) : null}
            <span className="truncate text-xs text-muted-foreground">
              {endpoint.eventTypes.join(", ")}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

export function EndpointState({ endpoint }: { endpoint: Endpoint }) {
  if (endpoint.enabled) {
    return (
      <Badge variant="success" className="ml-auto shrink-0">
        On
      </Badge>
    );
  }
  return (
    <Badge
      variant="destructive"
      className="ml-auto shrink-0"
      title={endpoint.disabledReason ?? undefined}
      data-testid="webhook-disabled"
    >
      Off
    </Badge>
  );
}
