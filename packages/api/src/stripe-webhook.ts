// Stripe's webhook endpoint (POST /api/webhooks/stripe): the route hands the
// raw body and signature here, and answers what this says. With billing off
// the endpoint does not exist (404).
import { receiveStripeWebhook, type WebhookAnswer } from "@netia/billing";
import type { Runtime } from "@netia/runtime";

/** Stripe's events are small; anything larger is not from Stripe. */
const MAX_BYTES = 512 * 1024;

export async function handleStripeWebhook(rt: Runtime, request: Request): Promise<WebhookAnswer> {
  if (!rt.config.stripe) return { status: 404, body: { error: "not found" } };
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BYTES) {
    return { status: 413, body: { error: "too large" } };
  }
  // The signature covers the exact bytes Stripe sent: read them as text, never re-serialised JSON.
  const rawBody = await request.text();
  if (Buffer.byteLength(rawBody) > MAX_BYTES) return { status: 413, body: { error: "too large" } };
  return receiveStripeWebhook(
    { db: rt.db, stripe: rt.config.stripe, logger: rt.logger, jobs: rt.jobs },
    { rawBody, signature: request.headers.get("stripe-signature") },
  );
}
