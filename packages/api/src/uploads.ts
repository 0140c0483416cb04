// Uploads arrive over plain HTTP (files do not belong in JSON-RPC). The route
// handler stays thin: it passes the request's headers and body stream here,
// and the body goes to storage as it arrives.
import {
  ALLOWED_CONTENT_TYPES,
  AppError,
  ATTACHMENT_MAX_BYTES,
  deleteAttachment,
  getAgentSession,
  getWidgetSession,
  httpStatusOf,
  isAppError,
  type RateLimitKind,
  storeAttachment,
  type Uploader,
} from "@netia/core";
import type { Runtime } from "@netia/runtime";
import { CROSS_SITE_MESSAGE, isSameOrigin } from "./origin";
import { guardWidgetCall } from "./trpc";

export { ALLOWED_CONTENT_TYPES, ATTACHMENT_MAX_BYTES };

export type UploadResult =
  | { ok: true; attachment: Awaited<ReturnType<typeof storeAttachment>> }
  | {
      ok: false;
      status: number;
      code: string;
      message: string;
      /** Seconds, for a 429: the Retry-After header. */
      retryAfter?: number;
    };

/** A request body's pieces as they arrive; stops reading (cancels) when the consumer stops early. */
async function* pieces(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => {});
  }
}

const kib = (bytes: number) => Math.ceil(bytes / 1024);

/**
 * Counts an upload against its uploader's and its account's volume limits.
 * The declared size (Content-Length) is counted before a byte is stored, so an
 * upload that would go over is refused at once; `settle` then counts the size
 * actually stored instead, and refuses (the caller deletes the file) if a body
 * without a declared size went over.
 */
async function countVolume(
  rt: Runtime,
  who: { accountId: string; uploaderKey: string },
  declaredBytes: number | null,
) {
  await rt.limits.consume("uploadsPerUploader", who.uploaderKey);
  const limits: [RateLimitKind, string][] = [
    ["uploadKibPerUploader", who.uploaderKey],
    ["uploadKibPerAccount", who.accountId],
  ];
  /** Counts `n` KiB on both limits, or on neither: a refused file uses no allowance. */
  const consume = async (n: number) => {
    const done: [RateLimitKind, string][] = [];
    try {
      for (const [kind, key] of limits) {
        done.push([kind, key]);
        await rt.limits.consume(kind, key, n);
      }
    } catch (error) {
      // The limiter counts refused points too; give them back.
      for (const [kind, key] of done) await rt.limits.refund(kind, key, n);
      throw error;
    }
  };
  const refund = async (n: number) => {
    for (const [kind, key] of limits) await rt.limits.refund(kind, key, n);
  };
  const counted = declaredBytes === null ? 0 : kib(declaredBytes);
  if (counted > 0) await consume(counted);
  return {
    /** Counts the stored size instead of the declared one; throws TOO_MANY_REQUESTS if over. */
    async settle(storedBytes: number) {
      const more = kib(storedBytes) - counted;
      if (more > 0) {
        try {
          await consume(more);
        } catch (error) {
          await refund(counted);
          throw error;
        }
      } else await refund(-more);
    },
    /** Nothing was stored: gives back what was counted. */
    cancel: () => refund(counted),
  };
}

/** Stores a visitor's (widget token) or an agent's (session cookie) upload. */
export async function handleUpload(
  rt: Runtime,
  request: {
    headers: Headers;
    ip: string | null;
    body: ReadableStream<Uint8Array> | Iterable<Uint8Array> | null;
  },
): Promise<UploadResult> {
  const { headers } = request;
  const contentType = (headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (!ALLOWED_CONTENT_TYPES.has(contentType)) {
    return {
      ok: false,
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
      message: `Files of type ${contentType || "(none)"} cannot be attached`,
    };
  }
  const length = headers.get("content-length");
  const declaredBytes = length !== null && /^\d+$/.test(length) ? Number(length) : null;
  let filename = "file";
  try {
    filename = decodeURIComponent(headers.get("x-netia-filename") ?? "file");
  } catch {
    // A malformed name is replaced, not refused.
  }
  try {
    if (declaredBytes !== null && declaredBytes > ATTACHMENT_MAX_BYTES) {
      throw new AppError("PAYLOAD_TOO_LARGE", "The file is larger than 10 MB");
    }
    let accountId: string;
    let uploader: Uploader;
    const widgetToken = headers.get("x-netia-widget-token");
    if (widgetToken) {
      const widget = await getWidgetSession(rt.db, widgetToken);
      if (!widget) throw new AppError("UNAUTHORIZED", "The chat session expired; reload");
      await guardWidgetCall(rt, widget, { ip: request.ip, origin: headers.get("origin") });
      accountId = widget.accountId;
      uploader = { customerId: widget.customerId };
    } else {
      // An agent's upload is authenticated by cookie: only from Netia's own pages (origin.ts).
      if (!isSameOrigin(headers, rt.config.appUrl))
        throw new AppError("FORBIDDEN", CROSS_SITE_MESSAGE);
      const agent = await getAgentSession(rt.db, rt.auth, headers);
      if (!agent) throw new AppError("UNAUTHORIZED", "Log in to continue");
      accountId = agent.accountId;
      uploader = { userId: agent.userId };
    }
    const uploaderKey =
      "customerId" in uploader ? `c:${uploader.customerId}` : `u:${uploader.userId}`;
    const volume = await countVolume(rt, { accountId, uploaderKey }, declaredBytes);
    let attachment: Awaited<ReturnType<typeof storeAttachment>>;
    try {
      attachment = await storeAttachment(rt.db, {
        accountId,
        uploader,
        filename,
        contentType,
        body:
          request.body === null
            ? []
            : "getReader" in request.body
              ? pieces(request.body)
              : request.body,
      });
    } catch (error) {
      await volume.cancel();
      throw error;
    }
    try {
      await volume.settle(attachment.size);
    } catch (error) {
      await deleteAttachment(rt.db, { accountId, id: attachment.id });
      throw error;
    }
    return { ok: true, attachment };
  } catch (error) {
    if (isAppError(error)) {
      return {
        ok: false,
        status: httpStatusOf[error.code],
        code: error.code,
        message: error.message,
        retryAfter: error.retryAfterSeconds,
      };
    }
    throw error;
  }
}
