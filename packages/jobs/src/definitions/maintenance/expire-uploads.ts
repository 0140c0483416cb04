// Removes uploads no message carries once they are older than the configured
// TTL. A cron sweep: one run per slot across every node.
import { z } from "zod";
import { defineJob } from "../../define";

export const expireUploads = defineJob({
  name: "maintenance.expire-uploads",
  payload: z.object({}),
  retry: { retryLimit: 2, retryDelay: 60, retryBackoff: true },
  cron: "*/15 * * * *",
  expireInSeconds: 10 * 60,
  handler: () => import("./expire-uploads.handler").then((m) => m.handleExpireUploads),
});
