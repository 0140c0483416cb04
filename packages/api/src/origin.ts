// Cookie-authenticated requests must come from Netia's own pages: a browser
// attaches the session cookie to a form another site posts here (same-site
// subdomains even with SameSite=Lax), so what a write may do cannot rest on the
// cookie alone. Browsers say where a request comes from (Origin, Sec-Fetch-Site)
// and pages cannot forge either. The widget authenticates by bearer token, not
// cookies, and is not subject to this check.
import { TRPCError } from "@trpc/server";

/**
 * Whether the request comes from the app's own origin: `appUrl` (APP_URL) or
 * the host the request was sent to. Clients that are not browsers send
 * neither header and pass: forging a request needs a victim's browser.
 */
export function isSameOrigin(headers: Headers, appUrl: string): boolean {
  const origin = headers.get("origin");
  if (origin !== null) {
    if (origin === new URL(appUrl).origin) return true;
    const host = headers.get("host");
    try {
      return host !== null && new URL(origin).host === host.toLowerCase();
    } catch {
      // "null" (sandboxed frames, privacy redirects) or garbage: not ours.
      return false;
    }
  }
  const site = headers.get("sec-fetch-site");
  return site === null || site === "same-origin" || site === "none";
}

export const CROSS_SITE_MESSAGE =
  "Cross-site request refused: this action must come from Netia's own pages";

/** Throws FORBIDDEN for a request from another site. */
export function assertSameOrigin(headers: Headers, appUrl: string): void {
  if (!isSameOrigin(headers, appUrl)) {
    throw new TRPCError({ code: "FORBIDDEN", message: CROSS_SITE_MESSAGE });
  }
}
