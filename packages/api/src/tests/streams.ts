// Helpers for tests of the live streams through in-process callers: a reader
// that collects what a subscription yields, and a bus that delays chosen
// publishes (fault injection: publishes arriving out of commit order).
import type { EventBus, Payload } from "@netia/realtime";
import type { Runtime } from "@netia/runtime";
import { client } from "../testing";

export type Ev = {
  type: string;
  message?: { id: string; body: string; seq: number; private: boolean };
};

/** A client whose subscriptions end when `stop` is called, as a closed socket would. */
export function subscriber(rt: Runtime, auth: { cookie?: string; widgetToken?: string }) {
  const controller = new AbortController();
  return {
    api: client(rt, { ...auth, signal: controller.signal }),
    stop: () => controller.abort(),
  };
}

/** Reads a subscription in the background; `until` waits for a condition. */
export function reader(iterable: AsyncIterable<unknown>, stop: () => void) {
  const events: Ev[] = [];
  const ids: string[] = [];
  const iterator = iterable[Symbol.asyncIterator]();
  let failure: unknown;
  void (async () => {
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        const value = next.value as unknown;
        // tracked() values are [id, data, symbol] tuples on the server side.
        if (Array.isArray(value)) {
          ids.push(String(value[0]));
          events.push(value[1] as Ev);
        } else {
          events.push(value as Ev);
        }
      }
    } catch (error) {
      failure = error;
    }
  })();
  return {
    events,
    ids,
    messages: () => events.filter((e) => e.type === "message.created").map((e) => e.message),
    bodies: () => events.filter((e) => e.type === "message.created").map((e) => e.message?.body),
    async until(check: () => boolean, ms = 5_000) {
      const deadline = Date.now() + ms;
      while (!check()) {
        if (failure) throw failure;
        if (Date.now() > deadline) throw new Error(`timed out: ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    stop,
  };
}

/**
 * `bus` with the publishes that `delayOf` gives a delay (ms) held back that
 * long before they go out: as when the process that committed first is the
 * slower one to publish.
 */
export function delayingBus(bus: EventBus, delayOf: (payload: Payload) => number): EventBus {
  return {
    ...bus,
    kind: bus.kind,
    publish(channels, payload) {
      const ms = delayOf(payload);
      if (ms <= 0) return bus.publish(channels, payload);
      return new Promise((resolve, reject) => {
        setTimeout(() => bus.publish(channels, payload).then(resolve, reject), ms);
      });
    },
    subscribe: (channel, listener) => bus.subscribe(channel, listener),
    onResync: (listener) => bus.onResync(listener),
    connected: () => bus.connected(),
    close: () => bus.close(),
  };
}
