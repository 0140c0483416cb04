// The widget runs on customers' sites and calls Netia cross-origin with its
// own token, never with cookies (as do services with an API key): any origin
// may call, credentials are never allowed (so agents' cookie sessions stay
// same-origin), and each inbox's allowed-origins list is enforced by the
// procedures themselves.
const ALLOWED_HEADERS =
  "content-type, authorization, x-netia-widget-token, x-netia-filename, trpc-accept";

export function corsHeaders(request: Request): Record<string, string> {
  const origin = request.headers.get("origin");
  if (!origin) return {};
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": "GET, POST, OPTIONS",
    "access-control-allow-headers": ALLOWED_HEADERS,
    "access-control-max-age": "600",
    vary: "origin",
  };
}

/** Answers a CORS preflight. */
export function preflight(request: Request): Response {
  return new Response(null, { status: 204, headers: corsHeaders(request) });
}

/** Adds the CORS headers to a response the handler built. */
export function withCors(request: Request, response: Response): Response {
  for (const [name, value] of Object.entries(corsHeaders(request))) {
    response.headers.set(name, value);
  }
  return response;
}
