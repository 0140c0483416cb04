// Slack signs every request it sends to an app (Events API callbacks,
// interactivity payloads) with the app's signing secret: `v0=` and the hex
// HMAC-SHA256 of `v0:<timestamp>:<raw body>`. A request is Slack's only when
// that signature matches the exact bytes received (so it is checked before
// anything parses the body) and its timestamp is within five minutes of now,
// which bounds how long a captured request could be sent again.
import { createHmac, timingSafeEqual } from "node:crypto";

/** How far a request's timestamp may be from now, either way. */
export const SLACK_MAX_AGE_SECONDS = 5 * 60;

export type SlackVerification = "ok" | "missing" | "bad_signature" | "expired";

export function verifySlackSignature(
  signingSecret: string,
  request: { timestamp: string | null; signature: string | null; body: string },
  nowMs = Date.now(),
): SlackVerification {
  const { timestamp, signature, body } = request;
  if (!timestamp || !signature) return "missing";
  if (!/^\d{1,12}$/.test(timestamp)) return "bad_signature";
  const expected = Buffer.from(
    `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`,
  );
  const given = Buffer.from(signature);
  // Constant time: a mismatch tells nothing of how many characters were right.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return "bad_signature";
  }
  // Checked after the signature, so the answer never says whether an unsigned guess had a fresh timestamp.
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SLACK_MAX_AGE_SECONDS) return "expired";
  return "ok";
}
