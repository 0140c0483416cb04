import { reconcileAccount } from "@netia/billing";
import type { JobHandler } from "../../define";

export const handleBillingReconcile: JobHandler<{ accountId: string }> = async (
  payload,
  { db, config, logger },
) => {
  // Billing was turned off since the event arrived: nothing to keep current.
  if (!config.stripe) return;
  const snapshot = await reconcileAccount({ db, stripe: config.stripe }, payload.accountId);
  logger.info(
    {
      accountId: payload.accountId,
      plan: snapshot?.plan ?? null,
      status: snapshot?.status ?? null,
    },
    "billing reconciled with Stripe",
  );
};
