-- Reverts 0011_billing: each account's subscription state and the Stripe events received.
DROP TABLE IF EXISTS "stripe_events";
DROP TABLE IF EXISTS "billing_accounts";
