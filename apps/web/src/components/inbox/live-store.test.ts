import { describe, expect, it } from "vitest";
import { createLiveStore, TYPING_FALLBACK_MS } from "./live-store";

function fakeTimers(start = 1_000_000) {
  let now = start;
  let next = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const id = next++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimer: (id: unknown) => void timers.delete(id as number),
    advance(ms: number) {
      now += ms;
      for (const [id, t] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at <= now) {
          timers.delete(id);
          t.fn();
        }
      }
    },
  };
}

const customer = { type: "customer" as const, id: "c1" };
const agent = { type: "user" as const, id: "u2", name: "Bob" };

describe("live store", () => {
  it("shows typing until expiresAt, renewed by each report", () => {
    const clock = fakeTimers();
    const store = createLiveStore(clock);
    const at = (ms: number) => new Date(clock.now() + ms).toISOString();

    store.typing({ conversationId: "k", sender: customer, private: false, expiresAt: at(5000) });
    expect(
      store
        .getState()
        .typing.get("k")
        ?.map((t) => t.key),
    ).toEqual(["customer:c1"]);
    clock.advance(3000);
    store.typing({ conversationId: "k", sender: customer, private: false, expiresAt: at(5000) });
    clock.advance(3000);
    expect(store.getState().typing.get("k")).toHaveLength(1);
    clock.advance(2000);
    expect(store.getState().typing.has("k")).toBe(false);
  });

  it("keeps several typists apart and stops one on request", () => {
    const clock = fakeTimers();
    const store = createLiveStore(clock);
    const expiresAt = new Date(clock.now() + 5000).toISOString();
    store.typing({ conversationId: "k", sender: customer, private: false, expiresAt });
    store.typing({ conversationId: "k", sender: agent, private: true, expiresAt });
    expect(
      store
        .getState()
        .typing.get("k")
        ?.map((t) => [t.key, t.private]),
    ).toEqual([
      ["customer:c1", false],
      ["user:u2", true],
    ]);
    store.stopTyping("k", "customer:c1");
    expect(
      store
        .getState()
        .typing.get("k")
        ?.map((t) => t.key),
    ).toEqual(["user:u2"]);
  });

  it("falls back to a few seconds when the expiry makes no sense on this clock", () => {
    const clock = fakeTimers();
    const store = createLiveStore(clock);
    const longAgo = new Date(clock.now() - 3_600_000).toISOString();
    store.typing({ conversationId: "k", sender: customer, private: false, expiresAt: longAgo });
    expect(store.getState().typing.has("k")).toBe(true);
    clock.advance(TYPING_FALLBACK_MS);
    expect(store.getState().typing.has("k")).toBe(false);
  });

  it("tracks presence from snapshots and changes, notifying only on change", () => {
    const store = createLiveStore();
    let notified = 0;
    store.subscribe(() => notified++);
    store.setPresence(["u1"], ["c1"]);
    store.setOnline("customer", "c2", true);
    store.setOnline("customer", "c2", true);
    store.setOnline("agent", "u1", false);
    expect([...store.getState().customers]).toEqual(["c1", "c2"]);
    expect(store.getState().agents.size).toBe(0);
    expect(notified).toBe(3);
  });
});

describe("assistant drafts in the live store", () => {
  it("keeps drafts per conversation and drops them when finished or discarded", () => {
    const store = createLiveStore();
    const seen: unknown[] = [];
    store.subscribe(() => seen.push(store.getState().drafts));
    store.assistantDelta({ conversationId: "c1", streamId: "s1", index: 0, delta: "Hi" });
    store.assistantDelta({ conversationId: "c2", streamId: "s2", index: 0, delta: "Yo" });
    store.assistantDelta({ conversationId: "c1", streamId: "s1", index: 0, delta: "Hi" });
    expect(seen).toHaveLength(2);
    expect(
      store
        .getState()
        .drafts.get("c1")
        ?.map((d) => d.text),
    ).toEqual(["Hi"]);
    store.dropDraft("c1", "s1");
    expect(store.getState().drafts.has("c1")).toBe(false);
    expect(
      store
        .getState()
        .drafts.get("c2")
        ?.map((d) => d.text),
    ).toEqual(["Yo"]);
    store.dropDraft("c1", "s1");
    expect(seen).toHaveLength(3);
    store.dispose();
  });
});
