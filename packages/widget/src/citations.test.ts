// A reply's sources as the widget shows them: titles as text, links only for
// http(s) URLs, no more than five, each article once.
import { describe, expect, it } from "vitest";
import { citationsOf, httpHref } from "./citations";

describe("httpHref", () => {
  it("accepts absolute http(s) URLs only", () => {
    expect(httpHref("https://acme.test/help/returns")).toBe("https://acme.test/help/returns");
    expect(httpHref(" http://acme.test ")).toBe("http://acme.test/");
    for (const bad of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "mailto:help@acme.test",
      "/help/returns",
      "acme.test/help",
      "",
      null,
      42,
    ]) {
      expect(httpHref(bad)).toBeNull();
    }
  });
});

describe("citationsOf", () => {
  it("turns sources into titled links, title only without a safe URL", () => {
    expect(
      citationsOf({
        sources: [
          { articleId: "a1", title: "Returns policy", url: "https://acme.test/returns" },
          { articleId: "a2", title: "Shipping", url: null },
          { articleId: "a3", title: "<b>Sneaky</b>", url: "javascript:alert(1)" },
        ],
      }),
    ).toEqual([
      { key: "a1", title: "Returns policy", href: "https://acme.test/returns" },
      { key: "a2", title: "Shipping", href: null },
      { key: "a3", title: "<b>Sneaky</b>", href: null },
    ]);
  });

  it("skips malformed entries and repeats, and shows at most five", () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ articleId: `a${i}`, title: `T${i}` }));
    expect(citationsOf({ sources: many }).map((c) => c.key)).toEqual([
      "a0",
      "a1",
      "a2",
      "a3",
      "a4",
    ]);
    expect(
      citationsOf({
        sources: [
          null,
          "x",
          { title: "" },
          { url: "https://x.test" },
          { articleId: "a", title: "A" },
          { articleId: "a", title: "A" },
        ],
      }),
    ).toEqual([{ key: "a", title: "A", href: null }]);
    expect(citationsOf({ sources: "nope" })).toEqual([]);
    expect(citationsOf({})).toEqual([]);
    expect(citationsOf(undefined)).toEqual([]);
  });
});
