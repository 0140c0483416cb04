// Every minute, a sync for every active Gmail connection (Gmail's push through
// Cloud Pub/Sub is not used: polling needs no public endpoint or Google Cloud
// topic). A connection whose sync is still running or waiting gets no second
// one (gmail.sync is "stately"). One run per minute across every node.
import { z } from "zod";
import { defineJob } from "../../define";

export const gmailSyncSweep = defineJob({
  name: "gmail.sync-sweep",
  payload: z.object({}),
  retry: { retryLimit: 1, retryDelay: 30, retryBackoff: false },
  cron: "* * * * *",
  expireInSeconds: 60,
  handler: () => import("./sync-sweep.handler").then((m) => m.handleGmailSyncSweep),
});
