import { wakeOverdueConversations } from "@netia/core";
import type { JobHandler } from "../../define";

export const handleWakeSnoozedSweep: JobHandler<unknown> = async (_payload, context) => {
  const woken = await wakeOverdueConversations(context);
  if (woken > 0) context.logger.info({ woken }, "woke snoozed conversations past their time");
};
