// Reads an account's subscription from Stripe and stores it
// (packages/billing/src/subscription.ts): enqueued by each Stripe webhook
// event, in the transaction that stores the event. One at a time per account
// ("stately"): events arriving together coalesce, and since each run reads
// Stripe's current state, the last run stores the newest truth. Stripe being
// unreachable retries with backoff; the event is never lost.
import { z } from "zod";
import { defineJob } from "../../define";

export const BILLING_RECONCILE_JOB = "billing.reconcile";

export const billingReconcile = defineJob({
  name: BILLING_RECONCILE_JOB,
  payload: z.object({ accountId: z.uuid() }),
  retry: { retryLimit: 10, retryDelay: 10, retryBackoff: true, retryDelayMax: 60 * 60 },
  policy: "stately",
  singletonKey: (payload) => payload.accountId,
  expireInSeconds: 5 * 60,
  handler: () => import("./reconcile.handler").then((m) => m.handleBillingReconcile),
});
