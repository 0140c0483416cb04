// Wakes one snoozed conversation at the time it was snoozed until. Enqueued by
// `snoozeConversation` in the snooze's own transaction, with `startAfter` set
// to that time; a stale job (re-snoozed, reopened, answered) does nothing.
import { WAKE_SNOOZED_JOB } from "@netia/core";
import { z } from "zod";
import { defineJob } from "../../define";

export const wakeSnoozed = defineJob({
  name: WAKE_SNOOZED_JOB,
  payload: z.object({
    accountId: z.uuid(),
    conversationId: z.uuid(),
    snoozedUntil: z.iso.datetime(),
  }),
  retry: { retryLimit: 5, retryDelay: 10, retryBackoff: true },
  // One per conversation for lookups; several may wait (a re-snooze), each
  // checks that its snooze is still the conversation's.
  singletonKey: (payload) => payload.conversationId,
  expireInSeconds: 60,
  handler: () => import("./wake-snoozed.handler").then((m) => m.handleWakeSnoozed),
});
