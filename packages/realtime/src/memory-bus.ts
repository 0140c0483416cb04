import { type EventBus, type Listener, ListenerRegistry, type Payload } from "./bus";

/**
 * The embedded default: one process, no network. Payloads go through JSON like
 * they would through Redis, so both buses deliver the same shapes.
 */
export function createMemoryBus(): EventBus {
  const registry = new ListenerRegistry();
  return {
    kind: "memory",
    async publish(channels: string | readonly string[], payload: Payload) {
      const copy = JSON.parse(JSON.stringify(payload)) as Payload;
      setImmediate(() => {
        for (const channel of typeof channels === "string" ? [channels] : channels) {
          registry.dispatch(channel, copy);
        }
      });
    },
    async subscribe(channel: string, listener: Listener) {
      registry.add(channel, listener);
      return () => {
        registry.remove(channel, listener);
      };
    },
    onResync: () => () => {},
    connected: () => true,
    async close() {},
  };
}
