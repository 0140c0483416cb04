// Sends an agent's reply in an email conversation to the customer: through
// the connected Gmail mailbox, in its thread, when the conversation came from
// Gmail; otherwise as an email over SMTP (queued with email.send). Enqueued
// in the reply's own transaction (createAgentMessage). Once per reply: Gmail
// sends are claimed in gmail_messages, SMTP emails are deduplicated by
// `reply:<message id>`, and one job runs per message at a time.
import { DELIVER_REPLY_JOB } from "@netia/core";
import { z } from "zod";
import { defineJob } from "../../define";

export const deliverReply = defineJob({
  name: DELIVER_REPLY_JOB,
  payload: z.object({ accountId: z.uuid(), conversationId: z.uuid(), messageId: z.uuid() }),
  // About 16 hours of retries: time for an admin to reconnect a mailbox Google refused.
  retry: { retryLimit: 12, retryDelay: 30, retryBackoff: true, retryDelayMax: 4 * 3600 },
  policy: "singleton",
  singletonKey: (payload) => payload.messageId,
  expireInSeconds: 300,
  handler: () => import("./deliver-reply.handler").then((m) => m.handleDeliverReply),
});
