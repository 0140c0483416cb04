import { sweepCustomerReplyEmails } from "@netia/core";
import type { JobHandler } from "../../define";

export const handleCustomerReplies: JobHandler<unknown> = async (_payload, context) => {
  const queued = await sweepCustomerReplyEmails({
    db: context.db,
    jobs: context.jobs,
    settings: context.config,
  });
  if (queued > 0) context.logger.info({ queued }, "queued emails to customers with unseen replies");
};
