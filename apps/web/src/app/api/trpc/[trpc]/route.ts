import { appRouter, createContext, MAX_CALLS_PER_BATCH } from "@netia/api";
import { getRuntime } from "@netia/runtime";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { preflight, withCors } from "@/lib/server/cors";
import { clientIp, limitBody } from "@/lib/server/request";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

async function handler(request: Request): Promise<Response> {
  const req = await limitBody(request);
  if (req instanceof Response) return withCors(request, req);
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    // A batch of hundreds of calls would hold the event loop: refused with a 400.
    maxBatchSize: MAX_CALLS_PER_BATCH,
    createContext: async ({ req, resHeaders }) =>
      createContext({
        runtime: await getRuntime(),
        headers: req.headers,
        resHeaders,
        ip: clientIp(req.headers),
      }),
  });
  return withCors(request, response);
}

export { handler as GET, handler as POST, preflight as OPTIONS };
