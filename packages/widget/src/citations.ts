// The knowledge-base articles an assistant's reply was grounded in, from its
// metadata.sources ([{ articleId, title, url }]), as the widget shows them
// under the reply. The metadata comes from the server, but a title or link an
// article author typed is still untrusted: titles render as text, and only
// http(s) URLs become links.

export type Citation = { key: string; title: string; href: string | null };

const MAX_CITATIONS = 5;
const MAX_TITLE = 200;

/** An absolute http(s) URL, normalised; null for anything else (javascript:, data:, mailto:, relative). */
export function httpHref(raw: unknown): string | null {
  if (typeof raw !== "string" || !raw.trim()) return null;
  try {
    const url = new URL(raw.trim());
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

export function citationsOf(metadata: Record<string, unknown> | undefined): Citation[] {
  const sources = metadata?.sources;
  if (!Array.isArray(sources)) return [];
  const out: Citation[] = [];
  for (const source of sources) {
    if (!source || typeof source !== "object") continue;
    const { title, url, articleId } = source as Record<string, unknown>;
    const text = typeof title === "string" ? title.trim() : "";
    if (!text) continue;
    const href = httpHref(url);
    const key = typeof articleId === "string" && articleId ? articleId : `${text}|${href ?? ""}`;
    if (out.some((c) => c.key === key)) continue;
    out.push({
      key,
      title: text.length > MAX_TITLE ? `${text.slice(0, MAX_TITLE - 1)}…` : text,
      href,
    });
    if (out.length === MAX_CITATIONS) break;
  }
  return out;
}
