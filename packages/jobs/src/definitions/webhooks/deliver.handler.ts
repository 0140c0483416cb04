import { attemptWebhookDelivery, type DeliverPayload } from "@netia/webhooks";
import type { JobHandler } from "../../define";

export const handleWebhooksDeliver: JobHandler<DeliverPayload> = async (payload, context) => {
  const { config, job } = context;
  const final = job.retryCount >= job.retryLimit;
  const result = await attemptWebhookDelivery(
    {
      db: context.db,
      jobs: context.jobs,
      settings: {
        secretKeyBase: config.secretKeyBase,
        allowPrivateNetworks: config.webhooks.allowPrivateNetworks,
        from: config.email.from,
        appUrl: config.appUrl,
      },
      send: { signal: job.signal },
    },
    { ...payload, final },
  );
  if (result.outcome === "failed") {
    context.logger.info(
      { deliveryId: payload.deliveryId, attempt: job.retryCount + 1, final, error: result.error },
      "webhook delivery failed",
    );
    // Thrown, the queue retries it later; the last attempt is recorded as failed instead.
    if (!final) throw new Error(`webhook delivery failed: ${result.error}`);
  }
};
