import { getRuntime } from "@netia/api/runtime";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(): Promise<Response> {
  const rt = await getRuntime();
  const up = await rt.database.ping();
  return Response.json(
    { status: up ? "ok" : "error", database: up ? "up" : "down", kind: rt.database.kind },
    { status: up ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
