// The REST API (docs/rest-api.md): the app router's procedures that declare a
// REST route, authenticated by API key.
import { handleRestRequest } from "@netia/api/rest";
import { getRuntime } from "@netia/runtime";
import { clientIp, limitBody, MAX_BODY_BYTES } from "@/lib/server/request";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

async function handler(request: Request): Promise<Response> {
  const req = await limitBody(request);
  if (req instanceof Response) {
    const message = `The request body is larger than ${MAX_BODY_BYTES} bytes`;
    return Response.json({ code: "PAYLOAD_TOO_LARGE", message }, { status: 413 });
  }
  return handleRestRequest(await getRuntime(), req, { ip: clientIp(req.headers) });
}

export { handler as DELETE, handler as GET, handler as PATCH, handler as POST, handler as PUT };
