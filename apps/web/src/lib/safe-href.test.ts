import { describe, expect, it } from "vitest";
import { safeHref } from "./safe-href";

describe("safeHref", () => {
  it("keeps absolute http(s) and mailto targets", () => {
    expect(safeHref("https://example.com/a?b=1")).toBe("https://example.com/a?b=1");
    expect(safeHref(" http://example.com ")).toBe("http://example.com/");
    expect(safeHref("mailto:help@example.com")).toBe("mailto:help@example.com");
  });

  it("drops script, data, other schemes and relative paths", () => {
    expect(safeHref("javascript:alert(1)")).toBe("");
    expect(safeHref(" JavaScript:alert(1)")).toBe("");
    expect(safeHref("java\tscript:alert(1)")).toBe("");
    expect(safeHref("data:text/html,<script>alert(1)</script>")).toBe("");
    expect(safeHref("vbscript:msgbox")).toBe("");
    expect(safeHref("/settings/team")).toBe("");
    expect(safeHref("")).toBe("");
  });
});
