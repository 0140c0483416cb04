// Mailgun's "forward to URL" webhook with the raw message: a route with the
// action `forward("https://<netia>/api/email/inbound/mime")` posts
// multipart/form-data with `body-mime` (the message as received), and
// `timestamp`, `token`, `signature` = hex HMAC-SHA256(signing key,
// timestamp + token). A signature is good once and for five minutes.
import { createHmac, timingSafeEqual } from "node:crypto";

export const MAILGUN_MAX_AGE_SECONDS = 5 * 60;

export type MailgunSignature = { timestamp: string; token: string; signature: string };

export type SignatureCheck = "ok" | "bad_signature" | "expired";

/** Checks a Mailgun webhook signature, in constant time, and its age. */
export function verifyMailgunSignature(
  signingKey: string,
  input: MailgunSignature,
  now: Date = new Date(),
): SignatureCheck {
  if (!/^\d{1,12}$/.test(input.timestamp) || !/^[0-9a-f]{64}$/i.test(input.signature)) {
    return "bad_signature";
  }
  const expected = createHmac("sha256", signingKey)
    .update(input.timestamp + input.token)
    .digest();
  if (!timingSafeEqual(expected, Buffer.from(input.signature, "hex"))) return "bad_signature";
  const age = now.getTime() / 1000 - Number(input.timestamp);
  // A little slack for clocks that run ahead.
  if (age > MAILGUN_MAX_AGE_SECONDS || age < -60) return "expired";
  return "ok";
}

/** The signature Mailgun would send (tests, and senders that speak this format). */
export function signMailgunWebhook(
  signingKey: string,
  timestamp: string,
  token: string,
): MailgunSignature {
  return {
    timestamp,
    token,
    signature: createHmac("sha256", signingKey)
      .update(timestamp + token)
      .digest("hex"),
  };
}
