// Liveness: the process is up and serving requests. It touches no dependency,
// so a database outage makes a node unready (see ../route.ts) but never gets
// it restarted in a loop.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export function GET(): Response {
  return Response.json(
    { status: "ok", uptimeSeconds: Math.round(process.uptime()) },
    { headers: { "cache-control": "no-store" } },
  );
}
