// The composer's text logic, kept pure so it can be tested without a browser:
// which "@name" or "/shortcut" the caret is in, what picking an option does to
// the text, and which picked mentions the text still holds.

/** A trigger character and the word typed after it, ending at the caret. */
export type ActiveToken = {
  /** Index of the trigger character. */
  start: number;
  /** Index just past the token (the caret). */
  end: number;
  /** What follows the trigger, up to the caret. */
  query: string;
};

/** What may follow each trigger: one word, no spaces (names are matched by their start). */
const QUERY = { "@": /^[^\s@]{0,40}$/, "/": /^[\w-]{0,50}$/ } as const;

export type Trigger = keyof typeof QUERY;

/**
 * The token of `trigger` the caret is at the end of, or null. A trigger
 * counts only at the start of the text or after whitespace, so an email
 * address or a URL opens no picker.
 */
export function activeToken(text: string, caret: number, trigger: Trigger): ActiveToken | null {
  const start = text.lastIndexOf(trigger, caret - 1);
  if (start < 0) return null;
  const before = start === 0 ? "" : text.charAt(start - 1);
  if (before !== "" && !/\s/.test(before)) return null;
  const query = text.slice(start + 1, caret);
  if (!QUERY[trigger].test(query)) return null;
  return { start, end: caret, query };
}

/** `text` with the token replaced, and where the caret goes: right after the replacement. */
export function replaceToken(
  text: string,
  token: Pick<ActiveToken, "start" | "end">,
  replacement: string,
): { text: string; caret: number } {
  return {
    text: text.slice(0, token.start) + replacement + text.slice(token.end),
    caret: token.start + replacement.length,
  };
}

/** How a picked teammate reads in the body. */
export function mentionText(name: string): string {
  return `@${name}`;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether `text` still holds `@name` as a whole mention (not the start of a longer word). */
function mentions(text: string, name: string): boolean {
  return new RegExp(`(^|\\s)${escapeRegExp(mentionText(name))}(?![\\p{L}\\p{N}_])`, "u").test(text);
}

/**
 * The ids of the picked teammates whose "@Name" is still in the text, each
 * once: a mention deleted before sending notifies nobody.
 */
export function liveMentionIds(
  text: string,
  picked: readonly { userId: string; name: string }[],
): string[] {
  const ids = picked.filter((p) => mentions(text, p.name)).map((p) => p.userId);
  return [...new Set(ids)];
}

/** Options with a word in their label that starts with the query, case-insensitively. */
export function matching<T>(options: readonly T[], query: string, labelOf: (o: T) => string): T[] {
  const q = query.toLowerCase();
  if (!q) return [...options];
  return options.filter((o) =>
    labelOf(o)
      .toLowerCase()
      .split(/\s+/)
      .some((word) => word.startsWith(q)),
  );
}
