// Billing as Netia sees it: plans and their limits, where each account
// stands, what it uses, and the one check every limited write goes through.
// Stripe itself (checkout, the portal, webhooks) is in @netia/billing.
export * from "./accounts";
export * from "./limits";
export * from "./plans";
export * from "./standing";
export * from "./usage";
