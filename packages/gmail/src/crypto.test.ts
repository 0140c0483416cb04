// Tokens at rest: AES-256-GCM under a key derived from SECRET_KEY_BASE.
import { describe, expect, it } from "vitest";
import { decryptToken, encryptToken } from "./crypto";
import { signState, verifyState } from "./oauth";

const KEY = "k".repeat(64);

describe("token encryption", () => {
  it("round-trips, never shows the token, and differs every time", () => {
    const token = "1//0g-refresh-token-value";
    const a = encryptToken(KEY, token);
    const b = encryptToken(KEY, token);
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(a).not.toContain(token);
    expect(a).not.toBe(b);
    expect(decryptToken(KEY, a)).toBe(token);
  });

  it("refuses altered text, another SECRET_KEY_BASE and unknown versions", () => {
    const stored = encryptToken(KEY, "secret");
    const [v, iv, tag, body] = stored.split(".") as [string, string, string, string];
    const flipped = `${body.slice(0, -1)}${body.endsWith("A") ? "B" : "A"}`;
    expect(() => decryptToken(KEY, [v, iv, tag, flipped].join("."))).toThrow();
    expect(() => decryptToken("o".repeat(64), stored)).toThrow();
    expect(() => decryptToken(KEY, `v2.${iv}.${tag}.${body}`)).toThrow(/version/);
    expect(() => decryptToken(KEY, "secret")).toThrow();
  });
});

describe("the OAuth state", () => {
  const state = {
    accountId: "6f1c1f5e-8a8e-4c55-9f3a-0a7f3f4f1b11",
    userId: "user-1",
    inboxId: "0b5e7c1a-2f57-4a55-8c2b-6c1d9a3e2f10",
    expiresAt: Date.now() + 60_000,
  };

  it("comes back as signed", () => {
    expect(verifyState(KEY, signState(KEY, state))).toEqual(state);
  });

  it("is refused when altered, signed with another key, or expired", () => {
    const signed = signState(KEY, state);
    const [payload, mac] = signed.split(".") as [string, string];
    const other = Buffer.from(JSON.stringify({ ...state, accountId: state.inboxId })).toString(
      "base64url",
    );
    expect(() => verifyState(KEY, `${other}.${mac}`)).toThrow(/invalid/);
    expect(() => verifyState("o".repeat(64), signed)).toThrow(/invalid/);
    expect(() => verifyState(KEY, payload)).toThrow(/invalid/);
    expect(() => verifyState(KEY, signed, state.expiresAt + 1)).toThrow(/too long/);
  });
});
