// Turns one event a write enqueued (in its own transaction, see
// packages/core/src/webhook-events.ts) into a delivery and a `webhooks.deliver`
// job per subscribed endpoint. Safe to retry: deliveries exist once per
// endpoint and event.
import { WEBHOOK_EVENT_TYPES, WEBHOOK_FAN_OUT_JOB } from "@netia/core";
import { z } from "zod";
import { defineJob } from "../../define";

export const webhooksFanOut = defineJob({
  name: WEBHOOK_FAN_OUT_JOB,
  payload: z.object({
    id: z.string().min(1),
    type: z.enum(WEBHOOK_EVENT_TYPES),
    accountId: z.uuid(),
    occurredAt: z.string(),
    conversationId: z.uuid().optional(),
    messageId: z.uuid().optional(),
    customerId: z.uuid().optional(),
  }),
  retry: { retryLimit: 10, retryDelay: 5, retryBackoff: true, retryDelayMax: 600 },
  expireInSeconds: 120,
  // One per event: a busy account makes them as fast as its messages.
  batchSize: 10,
  handler: () => import("./fan-out.handler").then((m) => m.handleWebhooksFanOut),
});
