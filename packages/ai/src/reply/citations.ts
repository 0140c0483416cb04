// The model cites the passages it used as [1], [2] (their numbers in the
// prompt). The stored reply keeps no markers; its metadata lists the articles
// behind the cited passages, which the widget shows as links.

export type CitedSource = { articleId: string; title: string; url: string | null };

export type NumberedPassage = { articleId: string; title: string; url: string | null };

/** Matches [1], [2, 3] and [1][2], with the space before them. */
const MARKER = /\s?\[(\d+(?:\s*,\s*\d+)*)\]/g;

/**
 * The reply without citation markers, and the sources it cited, in order of
 * first citation, one entry per article. Numbers that name no passage are
 * dropped (the model made them up).
 */
export function extractCitations(
  text: string,
  passages: NumberedPassage[],
): { text: string; sources: CitedSource[] } {
  const sources: CitedSource[] = [];
  const seen = new Set<string>();
  const stripped = text.replace(MARKER, (_marker, numbers: string) => {
    for (const n of numbers.split(",")) {
      const passage = passages[Number(n.trim()) - 1];
      if (passage && !seen.has(passage.articleId)) {
        seen.add(passage.articleId);
        sources.push({ articleId: passage.articleId, title: passage.title, url: passage.url });
      }
    }
    return "";
  });
  return { text: stripped.replace(/[ \t]+([.,;:!?])/g, "$1").trim(), sources };
}
