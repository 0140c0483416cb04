// Removes records past their retention (packages/core/src/retention.ts):
// settled webhook deliveries, handled Slack requests, old Stripe events.
// A daily cron sweep: one run per day across every node.
import { z } from "zod";
import { defineJob } from "../../define";

export const pruneRecords = defineJob({
  name: "maintenance.prune-records",
  payload: z.object({}),
  retry: { retryLimit: 2, retryDelay: 300, retryBackoff: true },
  cron: "17 3 * * *",
  expireInSeconds: 30 * 60,
  handler: () => import("./prune-records.handler").then((m) => m.handlePruneRecords),
});
