// Which link targets a message may carry: absolute http(s) and mailto only,
// so a body can never run script (javascript:), embed a document (data:) or
// point inside the dashboard (a relative path).
const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/** The link target if it is absolute http(s) or mailto; otherwise "" (the link is dropped). */
export function safeHref(raw: string): string {
  try {
    const url = new URL(raw.trim());
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : "";
  } catch {
    return "";
  }
}
