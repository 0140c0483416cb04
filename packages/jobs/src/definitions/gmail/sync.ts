// Imports new mail of one connected Gmail mailbox (packages/gmail/src/sync.ts).
// One at a time per connection ("stately": one running and one waiting), so
// the sweep and a fresh connection never sync the same mailbox twice at once.
// A failure after the client's own retries (Google rate limits or trouble)
// retries with backoff; the mailbox's history id has not moved past anything
// unstored, so nothing is skipped.
import { z } from "zod";
import { defineJob } from "../../define";

export const GMAIL_SYNC_JOB = "gmail.sync";

export const gmailSync = defineJob({
  name: GMAIL_SYNC_JOB,
  payload: z.object({ connectionId: z.uuid() }),
  retry: { retryLimit: 5, retryDelay: 30, retryBackoff: true, retryDelayMax: 15 * 60 },
  policy: "stately",
  singletonKey: (payload) => payload.connectionId,
  expireInSeconds: 15 * 60,
  heartbeatSeconds: 30,
  // A sync fetches many messages side by side itself.
  batchSize: 1,
  handler: () => import("./sync.handler").then((m) => m.handleGmailSync),
});
