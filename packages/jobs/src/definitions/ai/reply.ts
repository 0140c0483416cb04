// The AI assistant's answer to a customer message, enqueued in the message's
// own transaction (core/message-writes.ts). One waiting and one running job
// per conversation (`stately`): a burst of messages while a reply is being
// written queues one more job, which answers them all.
import type { AiReplyPayload } from "@netia/core";
import { z } from "zod";
import { defineJob } from "../../define";

export const aiReply = defineJob({
  name: "ai.reply",
  payload: z.object({
    accountId: z.uuid(),
    conversationId: z.uuid(),
    messageId: z.uuid(),
  }) satisfies z.ZodType<AiReplyPayload>,
  policy: "stately",
  singletonKey: (payload) => payload.conversationId,
  // Provider errors back off briefly: the customer is waiting in the chat.
  retry: { retryLimit: 3, retryDelay: 2, retryBackoff: true, retryDelayMax: 30 },
  // A node that dies mid-generation stops its heartbeat; the job is retried
  // within seconds rather than after the expiry.
  heartbeatSeconds: 10,
  // Above LLM_TIMEOUT × (LLM_MAX_RETRIES + 1) at their defaults (30 s × 3).
  expireInSeconds: 5 * 60,
  // One generation at a time per worker loop: each is long and counts against the provider's limits.
  batchSize: 1,
  handler: () => import("./reply.handler").then((m) => m.handleAiReply),
});
