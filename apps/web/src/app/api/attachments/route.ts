// POST a file (raw body; Content-Type; X-Netia-Filename, URI-encoded) as a
// visitor (X-Netia-Widget-Token) or an agent (session cookie); send its id
// with the message as `attachmentIds`. The body is streamed to storage, never
// buffered whole.

import { handleUpload } from "@netia/api/uploads";
import { getRuntime } from "@netia/runtime";
import { preflight, withCors } from "@/lib/server/cors";
import { clientIp } from "@/lib/server/request";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  const result = await handleUpload(await getRuntime(), {
    headers: request.headers,
    ip: clientIp(request.headers),
    body: request.body,
  });
  const response = result.ok
    ? Response.json(result.attachment, { status: 201 })
    : Response.json(
        { error: { code: result.code, message: result.message } },
        {
          status: result.status,
          headers: result.retryAfter ? { "retry-after": String(result.retryAfter) } : undefined,
        },
      );
  return withCors(request, response);
}

export { preflight as OPTIONS };
