// Each provider's tokens are encrypted under a key of their own.
import { describe, expect, it } from "vitest";
import { tokenCipher } from "./token-crypto";

const KEY = "k".repeat(64);

describe("tokenCipher", () => {
  it("round-trips under its label and refuses text encrypted under another label", () => {
    const slack = tokenCipher("netia:test-slack");
    const gmail = tokenCipher("netia:test-gmail");
    const stored = slack.encrypt(KEY, "xoxb-secret");
    expect(stored).not.toContain("xoxb-secret");
    expect(slack.decrypt(KEY, stored)).toBe("xoxb-secret");
    expect(() => gmail.decrypt(KEY, stored)).toThrow();
    expect(() => slack.decrypt(KEY, "v9.a.b.c")).toThrow(
      /netia:test-slack: not an encrypted token/,
    );
  });
});
