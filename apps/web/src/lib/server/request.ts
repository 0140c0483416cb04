// Helpers shared by the route handlers and the custom server.

/** Largest request body the API accepts. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Where the custom server (server.ts) puts the client's address for route
 * handlers, which see headers but not the socket. It overwrites whatever a
 * client sent under this name on every request.
 */
export const CLIENT_IP_HEADER = "x-netia-client-ip";

/** The client's address as the custom server decided it (see client-ip.ts). */
export function clientIp(headers: Headers): string | null {
  return headers.get(CLIENT_IP_HEADER) || null;
}

/**
 * Buffers the request body up to `max` bytes. Returns a 413 response when the
 * body is larger (judged by Content-Length first, then by counting), otherwise a
 * request that can be read again.
 */
export async function limitBody(req: Request, max = MAX_BODY_BYTES): Promise<Request | Response> {
  if (!req.body) return req;
  const tooLarge = () =>
    Response.json(
      { error: { message: `Request body is larger than ${max} bytes`, code: "PAYLOAD_TOO_LARGE" } },
      { status: 413 },
    );
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > max) return tooLarge();

  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new Request(req.url, {
    method: req.method,
    headers: req.headers,
    body,
    signal: req.signal,
  });
}
