// Stripe's own client, made from the settings: pointed at Stripe, or at a
// local fake in tests (STRIPE_API_URL). Kept per secret key, since the SDK
// keeps an HTTP agent and nothing else of ours.
import type { StripeSettings } from "@netia/config";
import Stripe from "stripe";

const clients = new Map<string, Stripe>();

export function stripeClient(settings: StripeSettings): Stripe {
  const key = `${settings.secretKey}@${settings.apiUrl ? JSON.stringify(settings.apiUrl) : "stripe"}`;
  let client = clients.get(key);
  if (!client) {
    client = new Stripe(settings.secretKey, {
      ...(settings.apiUrl ?? {}),
      // The SDK retries network failures and 5xx with its idempotency keys.
      maxNetworkRetries: 2,
      timeout: 20_000,
      appInfo: { name: "Netia" },
    });
    clients.set(key, client);
  }
  return client;
}
