// Uploads arrive over plain HTTP (files do not belong in JSON-RPC). The route
// handler stays thin: it passes the request's headers and bytes here.
import {
  ALLOWED_CONTENT_TYPES,
  AppError,
  ATTACHMENT_MAX_BYTES,
  getAgentSession,
  getWidgetSession,
  httpStatusOf,
  isAppError,
  storeAttachment,
} from "@netia/core";
import type { Runtime } from "./runtime";
import { guardWidgetCall } from "./trpc";

export { ALLOWED_CONTENT_TYPES, ATTACHMENT_MAX_BYTES };

export type UploadResult =
  | { ok: true; attachment: Awaited<ReturnType<typeof storeAttachment>> }
  | { ok: false; status: number; code: string; message: string };

/** Stores a visitor's (widget token) or an agent's (session cookie) upload. */
export async function handleUpload(
  rt: Runtime,
  request: { headers: Headers; ip: string | null; body: Buffer },
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
  if (request.body.length > ATTACHMENT_MAX_BYTES) {
    return {
      ok: false,
      status: 413,
      code: "PAYLOAD_TOO_LARGE",
      message: "The file is larger than 10 MB",
    };
  }
  let filename = "file";
  try {
    filename = decodeURIComponent(headers.get("x-netia-filename") ?? "file");
  } catch {
    // A malformed name is replaced, not refused.
  }
  try {
    const widgetToken = headers.get("x-netia-widget-token");
    if (widgetToken) {
      const widget = await getWidgetSession(rt.db, widgetToken);
      if (!widget) throw new AppError("UNAUTHORIZED", "The chat session expired; reload");
      await guardWidgetCall(rt, widget, { ip: request.ip, origin: headers.get("origin") });
      const attachment = await storeAttachment(rt.db, {
        accountId: widget.accountId,
        uploader: { customerId: widget.customerId },
        filename,
        contentType,
        data: request.body,
      });
      return { ok: true, attachment };
    }
    const agent = await getAgentSession(rt.db, rt.auth, headers);
    if (!agent) throw new AppError("UNAUTHORIZED", "Log in to continue");
    const attachment = await storeAttachment(rt.db, {
      accountId: agent.accountId,
      uploader: { userId: agent.userId },
      filename,
      contentType,
      data: request.body,
    });
    return { ok: true, attachment };
  } catch (error) {
    if (isAppError(error)) {
      return {
        ok: false,
        status: httpStatusOf[error.code],
        code: error.code,
        message: error.message,
      };
    }
    throw error;
  }
}
