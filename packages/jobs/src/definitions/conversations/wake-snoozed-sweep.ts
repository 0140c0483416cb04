// The safety net under the per-conversation wake-ups: every minute, reopens any
// snoozed conversation past its time (a job dead-lettered, a snooze written
// before the job existed). One run per minute across every node.
import { z } from "zod";
import { defineJob } from "../../define";

export const wakeSnoozedSweep = defineJob({
  name: "conversations.wake-snoozed-sweep",
  payload: z.object({}),
  retry: { retryLimit: 1, retryDelay: 30, retryBackoff: false },
  cron: "* * * * *",
  expireInSeconds: 60,
  handler: () => import("./wake-snoozed-sweep.handler").then((m) => m.handleWakeSnoozedSweep),
});
