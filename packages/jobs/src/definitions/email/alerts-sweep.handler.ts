import { sweepEmailAlerts } from "@netia/core";
import type { JobHandler } from "../../define";

export const handleEmailAlertsSweep: JobHandler<unknown> = async (_payload, context) => {
  const { created, scheduled } = await sweepEmailAlerts({ db: context.db, jobs: context.jobs });
  if (created > 0) context.logger.info({ created, scheduled }, "recorded email alerts");
};
