import type { SlackSyncThreadPayload } from "@netia/core";
import { syncSlackThread } from "@netia/slack";
import type { JobHandler } from "../../define";

export const handleSlackSyncThread: JobHandler<SlackSyncThreadPayload> = async (
  payload,
  { db, config, logger, job },
) => {
  const outcome = await syncSlackThread({ db, config, logger, signal: job.signal }, payload);
  if (outcome.posted > 0 || !outcome.done) {
    logger.info(
      { conversation: `conversation:${payload.conversationId}`, ...outcome },
      "slack thread synced",
    );
  }
};
