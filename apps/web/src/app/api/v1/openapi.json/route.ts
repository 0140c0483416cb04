// The REST API's OpenAPI 3.1 document, at a stable address: public, like any
// API reference, and generated once per process.
import { openApiDocument } from "@netia/api/rest";
import { getRuntime } from "@netia/runtime";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(): Promise<Response> {
  const { config } = await getRuntime();
  return Response.json(openApiDocument(config.appUrl), {
    headers: { "access-control-allow-origin": "*", "cache-control": "public, max-age=300" },
  });
}
