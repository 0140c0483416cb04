// One webhook delivery to one endpoint. Each run is one attempt; a failed
// attempt throws and the queue retries it with backoff for about a day
// (30 s doubling up to 4 h between attempts, 15 attempts). The last attempt's
// failure is recorded as final instead of thrown: the delivery log, not the
// dead-letter queue, is where an admin finds it and sends it again.

import { WEBHOOK_DELIVER_JOB } from "@netia/webhooks";
import { z } from "zod";
import { defineJob } from "../../define";

export const webhooksDeliver = defineJob({
  name: WEBHOOK_DELIVER_JOB,
  payload: z.object({ accountId: z.uuid(), deliveryId: z.uuid() }),
  retry: { retryLimit: 14, retryDelay: 30, retryBackoff: true, retryDelayMax: 4 * 3600 },
  policy: "singleton",
  singletonKey: (payload) => payload.deliveryId,
  // An attempt takes at most 15 s (the request's timeout).
  expireInSeconds: 120,
  // A fan-out to many endpoints makes many jobs at once; most of an attempt is waiting for the receiver.
  batchSize: 10,
  handler: () => import("./deliver.handler").then((m) => m.handleWebhooksDeliver),
});
