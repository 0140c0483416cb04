// Unsubscribe tokens: they round-trip, and any change to them, or a token made
// with another server's secret, is refused.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  unsubscribeHeaders,
  unsubscribeToken,
  unsubscribeUrl,
  verifyUnsubscribeToken,
} from "./email-unsubscribe";

const SECRET = "s".repeat(64);
const target = {
  kind: "customer" as const,
  id: "3f0e2a9c-1b7d-4c1e-9a55-0d2b6f8e4a11",
  accountId: "7c1d9e2f-5a3b-4d6c-8e9f-0a1b2c3d4e5f",
};

describe("unsubscribe tokens", () => {
  it("round-trip", () => {
    expect(verifyUnsubscribeToken(SECRET, unsubscribeToken(SECRET, target))).toEqual(target);
  });

  it("refuse a changed payload, a changed signature, another secret and junk", () => {
    const token = unsubscribeToken(SECRET, target);
    const [payload, signature] = token.split(".") as [string, string];
    const other = Buffer.from(
      JSON.stringify({
        k: "customer",
        i: "00000000-0000-4000-8000-000000000000",
        a: target.accountId,
      }),
    ).toString("base64url");
    expect(verifyUnsubscribeToken(SECRET, `${other}.${signature}`)).toBeNull();
    const flipped = `${signature.slice(0, -2)}${signature.endsWith("AA") ? "AB" : "AA"}`;
    expect(verifyUnsubscribeToken(SECRET, `${payload}.${flipped}`)).toBeNull();
    expect(verifyUnsubscribeToken("t".repeat(64), token)).toBeNull();
    for (const junk of ["", ".", "abc", `${token}.x`, `${payload}.`, "x".repeat(600)]) {
      expect(verifyUnsubscribeToken(SECRET, junk)).toBeNull();
    }
  });

  it("refuse a well-signed payload of the wrong shape", () => {
    const payload = Buffer.from(JSON.stringify({ k: "admin", i: "x", a: "y" })).toString(
      "base64url",
    );
    // Signed as the module signs (its own derived key), so only the shape check can refuse it.
    const key = createHmac("sha256", SECRET).update("netia:email-unsubscribe").digest();
    const mac = createHmac("sha256", key).update(payload).digest().subarray(0, 16);
    expect(verifyUnsubscribeToken(SECRET, `${payload}.${mac.toString("base64url")}`)).toBeNull();
  });

  it("make the one-click headers of RFC 8058 from the link", () => {
    const url = unsubscribeUrl(
      { secretKeyBase: SECRET, backendUrl: "https://netia.example" },
      target,
    );
    expect(url.startsWith("https://netia.example/api/email/unsubscribe?token=")).toBe(true);
    expect(unsubscribeHeaders(url)).toEqual({
      "List-Unsubscribe": `<${url}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
  });
});
