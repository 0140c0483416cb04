// Every minute: what happened since the last look (new conversations, customer
// messages in assigned conversations, mentions, handoffs) becomes email alerts,
// and each agent with alerts waiting gets an `email.agent-alerts` job. One run
// per minute across every node; overlapping runs are harmless.
import { z } from "zod";
import { defineJob } from "../../define";

export const emailAlertsSweep = defineJob({
  name: "email.alerts-sweep",
  payload: z.object({}),
  retry: { retryLimit: 1, retryDelay: 20, retryBackoff: false },
  cron: "* * * * *",
  expireInSeconds: 60,
  handler: () => import("./alerts-sweep.handler").then((m) => m.handleEmailAlertsSweep),
});
