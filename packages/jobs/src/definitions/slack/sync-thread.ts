// Brings a conversation's Slack thread up to date (packages/slack/src/outbound):
// posts its new messages in order and refreshes the header. Enqueued in the
// transaction of every write the thread shows (core's slack-sync.ts).
// "stately" per conversation: one attempt runs at a time, so posts never
// interleave, and at most one more waits; it posts whatever is new by then,
// so a dropped duplicate loses nothing. A 429 is waited out in place
// (Retry-After); Slack's trouble retries with backoff from where it stopped.
import { SLACK_SYNC_THREAD_JOB } from "@netia/core";
import { z } from "zod";
import { defineJob } from "../../define";

export const slackSyncThread = defineJob({
  name: SLACK_SYNC_THREAD_JOB,
  payload: z.object({ accountId: z.uuid(), conversationId: z.uuid() }),
  // About a day of retries with backoff: long enough for a Slack outage.
  retry: { retryLimit: 12, retryDelay: 15, retryBackoff: true, retryDelayMax: 4 * 3600 },
  policy: "stately",
  singletonKey: (payload) => payload.conversationId,
  expireInSeconds: 15 * 60,
  heartbeatSeconds: 30,
  handler: () => import("./sync-thread.handler").then((m) => m.handleSlackSyncThread),
});
