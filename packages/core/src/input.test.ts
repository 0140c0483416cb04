import { describe, expect, it } from "vitest";
import { ZText, ZUrl } from "./input";

describe("ZUrl", () => {
  it("takes http and https URLs", () => {
    expect(ZUrl.safeParse("https://example.com/book").success).toBe(true);
    expect(ZUrl.safeParse("http://localhost:4000/x?y=1").success).toBe(true);
  });

  it("refuses every other scheme, so no stored link can run script", () => {
    for (const url of [
      "javascript:alert(1)",
      "JAVASCRIPT:alert(1)",
      "data:text/html,x",
      "ftp://a.b",
    ]) {
      expect(ZUrl.safeParse(url).success, url).toBe(false);
    }
  });
});

describe("ZText", () => {
  it("refuses NUL characters and lone surrogates", () => {
    expect(ZText.safeParse("a\0b").success).toBe(false);
    expect(ZText.safeParse("a\ud800b").success).toBe(false);
    expect(ZText.safeParse("emoji 👋").success).toBe(true);
  });
});
