// Readiness: 200 when this node's database answers and its event bus is
// connected, 503 otherwise (the load balancer then routes around it).
// Liveness is /api/health/live.
import { getRuntime, readiness } from "@netia/runtime";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(): Promise<Response> {
  const report = await readiness(await getRuntime());
  return Response.json(
    {
      status: report.ready ? "ok" : "error",
      database: report.database.up ? "up" : "down",
      kind: report.database.kind,
      events: { kind: report.events.kind, status: report.events.up ? "up" : "down" },
    },
    { status: report.ready ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
