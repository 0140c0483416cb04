// Whether a node can serve traffic, for /api/health and load balancers.
import type { Database } from "@netia/db";
import type { EventBus } from "@netia/realtime";
import type { Runtime } from "./runtime";

export type Readiness = {
  ready: boolean;
  database: { kind: Database["kind"]; up: boolean };
  events: { kind: EventBus["kind"]; up: boolean };
};

/**
 * Ready when its database answers and its event bus is connected. A load
 * balancer stops sending requests while it is not ready; liveness (the process
 * answers at all) is a separate, cheaper check.
 */
export async function readiness(runtime: Runtime): Promise<Readiness> {
  const databaseUp = await runtime.database.ping();
  const eventsUp = runtime.bus.connected();
  return {
    ready: databaseUp && eventsUp,
    database: { kind: runtime.database.kind, up: databaseUp },
    events: { kind: runtime.bus.kind, up: eventsUp },
  };
}
