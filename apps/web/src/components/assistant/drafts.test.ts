import { describe, expect, it } from "vitest";
import { applyDelta, dropDraft, streamIdOf } from "./drafts";

describe("assistant drafts", () => {
  it("builds the text in index order and shows nothing past a gap", () => {
    let drafts = applyDelta([], { streamId: "s", index: 0, delta: "Hel" });
    drafts = applyDelta(drafts, { streamId: "s", index: 2, delta: " there" });
    expect(drafts[0]?.text).toBe("Hel");
    drafts = applyDelta(drafts, { streamId: "s", index: 1, delta: "lo" });
    expect(drafts[0]?.text).toBe("Hello there");
    expect(drafts[0]?.pending.size).toBe(0);
  });

  it("ignores a repeated piece and keeps streams apart", () => {
    let drafts = applyDelta([], { streamId: "a", index: 0, delta: "one" });
    const again = applyDelta(drafts, { streamId: "a", index: 0, delta: "one" });
    expect(again).toBe(drafts);
    drafts = applyDelta(drafts, { streamId: "b", index: 0, delta: "two" });
    expect(drafts.map((d) => [d.streamId, d.text])).toEqual([
      ["a", "one"],
      ["b", "two"],
    ]);
    expect(dropDraft(drafts, "a").map((d) => d.streamId)).toEqual(["b"]);
    expect(dropDraft(drafts, "missing")).toBe(drafts);
  });

  it("finds the stream a finished message replaces", () => {
    expect(streamIdOf({ metadata: { streamId: "s1" } })).toBe("s1");
    expect(streamIdOf({ metadata: {} })).toBeNull();
    expect(streamIdOf({ metadata: null })).toBeNull();
  });
});
