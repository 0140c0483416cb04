import { expireUnattachedUploads } from "@netia/core";
import type { JobHandler } from "../../define";

export const handleExpireUploads: JobHandler<unknown> = async (
  _payload,
  { db, logger, config },
) => {
  const olderThan = new Date(Date.now() - config.unattachedUploadTtlHours * 3_600_000);
  const removed = await expireUnattachedUploads(db, { olderThan });
  if (removed > 0) logger.info({ removed }, "removed uploads never sent with a message");
};
