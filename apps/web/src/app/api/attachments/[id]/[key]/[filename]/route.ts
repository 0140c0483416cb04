// Serves an attachment to whoever has its URL (the key in the path is random
// and per file). Images display inline; everything else downloads. The file
// can never run as a page of Netia's origin (nosniff, sandboxing CSP).

import { getAttachmentFile, isInlineImage, readAttachment } from "@netia/core";
import { getRuntime } from "@netia/runtime";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function GET(
  _request: Request,
  { params }: { params: Promise<{ id: string; key: string }> },
): Promise<Response> {
  const { id, key } = await params;
  const notFound = () =>
    Response.json({ error: { code: "NOT_FOUND", message: "File not found" } }, { status: 404 });
  if (!UUID.test(id) || !/^[0-9a-f]{48}$/.test(key)) return notFound();
  const { db } = await getRuntime();
  let file: Awaited<ReturnType<typeof getAttachmentFile>>;
  try {
    file = await getAttachmentFile(db, { id, key });
  } catch {
    return notFound();
  }
  const disposition = isInlineImage(file.contentType) ? "inline" : "attachment";
  // Sent chunk by chunk as they are read: a large file never blocks other requests.
  const chunks = readAttachment(db, file.id);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(new Uint8Array(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": file.contentType,
      "content-length": String(file.size),
      "content-disposition": `${disposition}; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      "cache-control": "private, max-age=86400, immutable",
      "cross-origin-resource-policy": "cross-origin",
    },
  });
}
