// Search snippets arrive as escaped text with <mark> around the matches (see
// packages/core/src/search.ts). They are rendered as React text, never as
// HTML: split at the marks, unescape, and wrap the matches in <mark> elements.
const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
};
const decodeEntities = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e);

/** The snippet as pieces of plain text, each marked as a match or not. */
export function snippetParts(snippet: string): { text: string; match: boolean; at: number }[] {
  const parts: { text: string; match: boolean; at: number }[] = [];
  let match = false;
  let at = 0;
  for (const piece of snippet.split(/(<mark>|<\/mark>)/)) {
    if (piece === "<mark>") match = true;
    else if (piece === "</mark>") match = false;
    else if (piece) parts.push({ text: decodeEntities(piece), match, at });
    at += piece.length;
  }
  return parts;
}

export function Snippet({ snippet, className }: { snippet: string; className?: string }) {
  return (
    <span className={className}>
      {snippetParts(snippet).map((part) =>
        part.match ? (
          <mark key={part.at} className="rounded-sm bg-highlight px-0.5 text-highlight-foreground">
            {part.text}
          </mark>
        ) : (
          <span key={part.at}>{part.text}</span>
        ),
      )}
    </span>
  );
}
