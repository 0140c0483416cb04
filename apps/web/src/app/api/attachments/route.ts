// POST a file (raw body; Content-Type; X-Netia-Filename, URI-encoded) as a
// visitor (X-Netia-Widget-Token) or an agent (session cookie); send its id
// with the message as `attachmentIds`.
import { getRuntime } from "@netia/api/runtime";
import { ATTACHMENT_MAX_BYTES, handleUpload } from "@netia/api/uploads";
import { preflight, withCors } from "@/lib/server/cors";
import { clientIp, limitBody } from "@/lib/server/request";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  const req = await limitBody(request, ATTACHMENT_MAX_BYTES);
  if (req instanceof Response) return withCors(request, req);
  const result = await handleUpload(await getRuntime(), {
    headers: req.headers,
    ip: clientIp(req.headers),
    body: Buffer.from(await req.arrayBuffer()),
  });
  const response = result.ok
    ? Response.json(result.attachment, { status: 201 })
    : Response.json(
        { error: { code: result.code, message: result.message } },
        { status: result.status },
      );
  return withCors(request, response);
}

export { preflight as OPTIONS };
