// Stripe's webhook events (docs/billing.md): verified over the raw body,
// stored once, then the account's subscription is read again from Stripe.
import { handleStripeWebhook } from "@netia/api/stripe-webhook";
import { getRuntime } from "@netia/runtime";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  const { status, body } = await handleStripeWebhook(await getRuntime(), request);
  return Response.json(body, { status });
}
