import { type WakeSnoozedPayload, wakeSnoozedConversation } from "@netia/core";
import type { JobHandler } from "../../define";

export const handleWakeSnoozed: JobHandler<WakeSnoozedPayload> = async (payload, context) => {
  const woke = await wakeSnoozedConversation(context, payload);
  context.logger.info(
    { conversation: `conversation:${payload.conversationId}`, woke },
    woke ? "snooze ended; conversation reopened" : "snooze wake-up no longer applies",
  );
};
