import { GmailReconnectRequired, recordSyncFailure, syncGmailConnection } from "@netia/gmail";
import type { JobHandler } from "../../define";

export const handleGmailSync: JobHandler<{ connectionId: string }> = async (payload, context) => {
  try {
    const result = await syncGmailConnection(context, payload.connectionId);
    if (result && (result.imported > 0 || result.mode !== "incremental")) {
      context.logger.info({ connectionId: payload.connectionId, ...result }, "gmail synced");
    }
  } catch (error) {
    // The connection is marked "Reconnect needed"; retrying cannot help.
    if (error instanceof GmailReconnectRequired) {
      context.logger.warn({ connectionId: payload.connectionId }, error.message);
      return;
    }
    // Out of retries: say so on the settings page (the next sweep tries again).
    if (context.job.retryCount >= context.job.retryLimit) {
      const reason = error instanceof Error ? error.message : String(error);
      await recordSyncFailure(context.db, payload.connectionId, `Last sync failed: ${reason}`);
    }
    throw error;
  }
};
