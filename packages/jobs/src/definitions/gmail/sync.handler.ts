import { GmailReconnectRequired, syncGmailConnection } from "@netia/gmail";
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
    throw error;
  }
};
