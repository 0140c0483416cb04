// Every minute: customers who have not seen the team's chat reply for their
// account's `customer_email_after_minutes` get one email with the
// conversation so far. One run per minute across every node; each unseen
// batch is emailed once whatever runs overlap (dedupe key).
import { z } from "zod";
import { defineJob } from "../../define";

export const customerRepliesSweep = defineJob({
  name: "email.customer-replies",
  payload: z.object({}),
  retry: { retryLimit: 1, retryDelay: 20, retryBackoff: false },
  cron: "* * * * *",
  expireInSeconds: 60,
  handler: () => import("./customer-replies.handler").then((m) => m.handleCustomerReplies),
});
