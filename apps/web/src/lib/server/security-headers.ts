// Headers every response carries, decided per request by the custom server.
// The dashboard's pages get a Content-Security-Policy whose scripts must carry
// a fresh nonce (Next.js reads it from the request's CSP header and puts it on
// the scripts it renders), so an injected <script> never runs, and no other
// site may frame them (clickjacking). The widget does not depend on these: it
// runs inside customers' pages from /widget.js, never in a frame of ours.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts the nonced ones load are trusted too (Next's chunks).
    // Development adds 'unsafe-eval' for React's dev tooling and fast refresh.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React sets style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    // Account logos may live anywhere on https; previews of uploads are blobs.
    "img-src 'self' data: blob: https:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export type SecurityHeaderOptions = { https: boolean; dev: boolean };

/** Sets the security headers on `res`, and the page's CSP (with its nonce) on `req` for Next.js. */
export function applySecurityHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  { https, dev }: SecurityHeaderOptions,
): void {
  const csp = contentSecurityPolicy(randomBytes(16).toString("base64"), dev);
  req.headers["content-security-policy"] = csp;
  res.setHeader("Content-Security-Policy", csp);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  // Older browsers that ignore frame-ancestors.
  res.setHeader("X-Frame-Options", "DENY");
  if (https) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}
