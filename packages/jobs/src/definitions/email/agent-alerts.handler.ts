import { deliverAgentAlerts } from "@netia/core";
import type { JobHandler } from "../../define";

export const handleAgentAlerts: JobHandler<{ userId: string }> = async (payload, context) => {
  const result = await deliverAgentAlerts(
    { db: context.db, jobs: context.jobs, settings: context.config },
    { userId: payload.userId },
  );
  if (result.outboundEmailId) {
    context.logger.info({ userId: payload.userId, ...result }, "queued an agent alert email");
  }
};
