// The assistant's streamed draft: deltas in index order, a gap freezes the
// text until the final message, the final message or a discard ends it (and a
// late delta does not bring it back), and an idle draft is dropped.
import { describe, expect, it } from "vitest";
import {
  type AssistantDraft,
  AssistantDrafts,
  DRAFT_IDLE_MS,
  streamIdsOf,
} from "./assistant-draft";

/** Drafts on a clock and timers the test moves by hand. */
function setup() {
  let now = 1_000;
  let timers: { at: number; fn: () => void }[] = [];
  const shown: AssistantDraft[][] = [];
  const drafts = new AssistantDrafts({
    onChange: (list) => shown.push(list),
    later: (fn, ms) => timers.push({ at: now + ms, fn }),
    now: () => now,
  });
  const advance = (ms: number) => {
    now += ms;
    const due = timers.filter((t) => t.at <= now);
    timers = timers.filter((t) => t.at > now);
    for (const t of due) t.fn();
  };
  const delta = (index: number, text: string, streamId = "s1") =>
    drafts.delta({ streamId, index, delta: text });
  return { drafts, shown, advance, delta, pendingTimers: () => timers.length };
}

describe("AssistantDrafts", () => {
  it("appends deltas in index order and ignores repeats", () => {
    const { drafts, shown, delta } = setup();
    delta(0, "Hel");
    delta(1, "lo");
    delta(1, "lo"); // a repeat changes nothing
    delta(2, " there");
    expect(drafts.list()).toEqual([{ streamId: "s1", text: "Hello there", stalled: false }]);
    expect(shown.at(-1)).toEqual(drafts.list());
  });

  it("stops appending at a gap and keeps the text until the final message", () => {
    const { drafts, delta } = setup();
    delta(0, "Our hours ");
    delta(2, "to 5pm"); // index 1 never came
    delta(1, "are 9am "); // late: the draft no longer grows
    delta(3, ".");
    expect(drafts.list()).toEqual([{ streamId: "s1", text: "Our hours ", stalled: true }]);
    expect(drafts.end(["s1"])).toBe(true);
    expect(drafts.list()).toEqual([]);
  });

  it("treats a stream joined midway as a gap (nothing to show until the final message)", () => {
    const { drafts, delta } = setup();
    delta(4, "later part");
    expect(drafts.list()).toEqual([{ streamId: "s1", text: "", stalled: true }]);
  });

  it("is replaced by the final message; a delta arriving after it starts nothing", () => {
    const { drafts, delta } = setup();
    delta(0, "Yes");
    const final = { metadata: { streamId: "s1", sources: [] } };
    expect(drafts.end(streamIdsOf([final]))).toBe(true);
    delta(1, ", we do");
    expect(drafts.list()).toEqual([]);
    // A final message with no draft shown (loaded with the history) removes nothing.
    expect(drafts.end(streamIdsOf([{ metadata: { streamId: "s2" } }]))).toBe(false);
    delta(0, "never shown", "s2");
    expect(drafts.list()).toEqual([]);
  });

  it("drops a discarded draft and keeps the others", () => {
    const { drafts, delta } = setup();
    delta(0, "First answer", "a");
    delta(0, "Second answer", "b");
    expect(drafts.end(["a"])).toBe(true);
    delta(1, " more", "a");
    expect(drafts.list()).toEqual([{ streamId: "b", text: "Second answer", stalled: false }]);
  });

  it("drops a draft idle for DRAFT_IDLE_MS, not one that is still growing", () => {
    const { drafts, shown, advance, delta, pendingTimers } = setup();
    delta(0, "idle", "idle");
    advance(DRAFT_IDLE_MS / 2);
    delta(0, "busy", "busy");
    advance(DRAFT_IDLE_MS / 2 - 1);
    expect(drafts.list().map((d) => d.streamId)).toEqual(["idle", "busy"]);
    advance(1);
    expect(drafts.list().map((d) => d.streamId)).toEqual(["busy"]);
    expect(shown.at(-1)).toEqual(drafts.list());
    // "busy" keeps growing: its idle time starts again with each delta.
    advance(DRAFT_IDLE_MS / 2 - 10);
    delta(1, "!", "busy");
    advance(DRAFT_IDLE_MS - 10);
    expect(drafts.list().map((d) => d.text)).toEqual(["busy!"]);
    advance(10);
    expect(drafts.list()).toEqual([]);
    expect(pendingTimers()).toBe(0);
  });

  it("forgets everything when another conversation is shown", () => {
    const { drafts, delta } = setup();
    delta(0, "text");
    drafts.end(["old"]);
    drafts.clear();
    expect(drafts.list()).toEqual([]);
    delta(0, "new stream", "old");
    expect(drafts.list()).toEqual([{ streamId: "old", text: "new stream", stalled: false }]);
  });
});

describe("streamIdsOf", () => {
  it("reads metadata.streamId of stored replies only", () => {
    expect(
      streamIdsOf([
        { metadata: { streamId: "a" } },
        { metadata: {} },
        { metadata: { streamId: 5 } },
        {},
        { metadata: { streamId: "" } },
      ]),
    ).toEqual(["a"]);
  });
});
