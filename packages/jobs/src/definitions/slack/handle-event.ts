// Handles one request Slack sent (an Events API callback or a button click),
// stored by the route that acknowledged it (packages/slack/src/inbound).
// Retried with backoff while Slack or the database are in trouble or Slack
// rate-limits users.info; the stored request waits meanwhile, so nothing Slack
// sent is lost.
import { z } from "zod";
import { defineJob } from "../../define";

export const slackHandleEvent = defineJob({
  name: "slack.handle-event",
  payload: z.object({ slackEventId: z.uuid() }),
  retry: { retryLimit: 8, retryDelay: 5, retryBackoff: true, retryDelayMax: 10 * 60 },
  expireInSeconds: 5 * 60,
  handler: () => import("./handle-event.handler").then((m) => m.handleSlackEventJob),
});
