import { activeGmailConnectionIds } from "@netia/gmail";
import type { JobHandler } from "../../define";
import { GMAIL_SYNC_JOB } from "./sync";

export const handleGmailSyncSweep: JobHandler<unknown> = async (_payload, context) => {
  if (!context.config.google) return;
  for (const connectionId of await activeGmailConnectionIds(context.db)) {
    await context.jobs.enqueue(context.db, GMAIL_SYNC_JOB, { connectionId });
  }
};
