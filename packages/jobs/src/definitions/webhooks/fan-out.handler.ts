import type { WebhookEvent } from "@netia/core";
import { fanOutWebhookEvent } from "@netia/webhooks";
import type { JobHandler } from "../../define";

export const handleWebhooksFanOut: JobHandler<WebhookEvent> = async (event, context) => {
  const deliveries = await fanOutWebhookEvent({ db: context.db, jobs: context.jobs }, event);
  context.logger.debug(
    { event: event.type, eventId: event.id, deliveries },
    `webhook event fanned out${event.conversationId ? ` conversation:${event.conversationId}` : ""}`,
  );
};
