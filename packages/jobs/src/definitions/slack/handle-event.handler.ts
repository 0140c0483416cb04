import { handleSlackEvent, type SlackEventPayload } from "@netia/slack";
import type { JobHandler } from "../../define";

export const handleSlackEventJob: JobHandler<SlackEventPayload> = async (payload, context) => {
  const outcome = await handleSlackEvent(context, payload.slackEventId);
  context.logger.info({ slackEventId: payload.slackEventId, outcome }, "slack request handled");
};
