// Removing uploads no message carries, on a timer each process runs until
// background jobs take the sweep over (deleting an upload twice is harmless).
import { expireUnattachedUploads, type Logger } from "@netia/core";
import type { Db } from "@netia/db";

/** How often each node looks for expired uploads. */
const UPLOAD_EXPIRY_INTERVAL_MS = 15 * 60 * 1000;

/**
 * Removes uploads that no message carries once they are `ttlHours` old; returns
 * the function that stops it. unref(): it never keeps a process alive.
 */
export function startUploadExpiry(db: Db, logger: Logger, ttlHours: number): () => void {
  const sweep = () =>
    expireUnattachedUploads(db, { olderThan: new Date(Date.now() - ttlHours * 3_600_000) }).then(
      (removed) => {
        if (removed > 0) logger.info({ removed }, "removed uploads never sent with a message");
      },
      (err: unknown) => logger.warn({ err }, "removing expired uploads failed"),
    );
  const timer = setInterval(sweep, UPLOAD_EXPIRY_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
