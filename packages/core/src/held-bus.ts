// A bus that holds the events of a transaction back until it commits: a
// subscriber that re-reads the database on an event must find what it
// announces, and nobody may hear of a message a rollback then takes away.
// Imports (email, Gmail, Slack) write inside one transaction and release
// after it.
import type { EventBus, Payload } from "@netia/realtime";
import type { DomainEvent } from "./events";

export function heldBus(bus: EventBus): {
  bus: EventBus;
  /** Sends what was held, in order, with `edit` applied to each event. */
  release(edit?: (event: DomainEvent) => DomainEvent): void;
} {
  const held: [string | readonly string[], Payload][] = [];
  const proxy = new Proxy(bus, {
    get(target, prop, receiver) {
      if (prop === "publish") {
        return async (channels: string | readonly string[], payload: Payload) => {
          held.push([channels, payload]);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return {
    bus: proxy,
    release(edit = (event) => event) {
      for (const [channels, payload] of held.splice(0)) {
        bus.publish(channels, edit(payload as DomainEvent) as Payload).catch(() => {});
      }
    },
  };
}
