// Delivers one queued email (core's `queueEmail` wrote the row and this job in
// one transaction). Retries with backoff over about a day of SMTP trouble;
// after the last attempt the row shows as failed on the outgoing mail page.
import { SEND_EMAIL_JOB } from "@netia/core";
import { z } from "zod";
import { defineJob } from "../../define";

export const sendEmail = defineJob({
  name: SEND_EMAIL_JOB,
  payload: z.object({ outboundEmailId: z.uuid() }),
  retry: { retryLimit: 8, retryDelay: 30, retryBackoff: true, retryDelayMax: 4 * 3600 },
  singletonKey: (payload) => payload.outboundEmailId,
  expireInSeconds: 120,
  handler: () => import("./send.handler").then((m) => m.handleSendEmail),
});
