// @netia/billing: Stripe's side of billing (docs/billing.md). What plans
// allow and how limits are enforced is core's (packages/core/src/billing).
export {
  BILLING_PATH,
  type BillingDeps,
  type NextInvoice,
  nextInvoice,
  openPortal,
  startCheckout,
} from "./checkout";
export { stripeClient } from "./client";
export { currentSubscription, reconcileAccount, snapshotOf } from "./subscription";
export {
  HANDLED_EVENTS,
  RECONCILE_JOB,
  type ReconcileJobs,
  receiveStripeWebhook,
  type WebhookAnswer,
  type WebhookDeps,
} from "./webhook";
