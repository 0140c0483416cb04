import { pruneExpiredRecords } from "@netia/core";
import type { JobHandler } from "../../define";

export const handlePruneRecords: JobHandler<unknown> = async (_payload, { db, logger }) => {
  const pruned = await pruneExpiredRecords(db);
  if (Object.values(pruned).some((n) => n > 0))
    logger.info(pruned, "removed records past retention");
};
