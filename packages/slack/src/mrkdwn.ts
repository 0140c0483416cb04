// Slack's message text ("mrkdwn") as the markdown Netia stores and the widget
// and dashboard render: *bold* → **bold**, _italic_ → *italic*,
// ~strike~ → ~~strike~~, <url|label> → [label](url), mentions and channel
// links as readable names, and Slack's three escaped characters decoded.
// Code spans and blocks are left exactly as written.

/** Names for `<@U…>` mentions, when the caller knows them. */
export type MentionNames = (userId: string) => string | undefined;

const decodeEntities = (text: string) =>
  text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** One of Slack's `<…>` forms. */
function angle(inner: string, names: MentionNames): string {
  const [target = "", label] = inner.split("|", 2);
  if (target.startsWith("@")) {
    const id = target.slice(1);
    return `@${label ?? names(id) ?? id}`;
  }
  if (target.startsWith("#")) return `#${label ?? target.slice(1)}`;
  if (target.startsWith("!")) {
    // <!here>, <!channel>, <!subteam^ID|@team>, <!date^…|fallback>
    const special = target.slice(1).split("^")[0] ?? "";
    return label ?? `@${special}`;
  }
  const url = decodeEntities(target);
  if (url.startsWith("mailto:")) return label ? decodeEntities(label) : url.slice(7);
  return label ? `[${decodeEntities(label)}](${url})` : url;
}

/** Inline formatting of text outside code. */
function inline(text: string, names: MentionNames): string {
  return decodeEntities(
    text
      .replace(/<([^<>\s][^<>]*)>/g, (_, inner: string) =>
        // Decoded afterwards with the rest; keep a literal "&" of a URL intact meanwhile.
        angle(inner, names).replace(/&/g, "&amp;"),
      )
      .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, "$1**$2**")
      .replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?!\w)/g, "$1*$2*")
      .replace(/(^|[^\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])/g, "$1~~$2~~"),
  );
}

export function mrkdwnToMarkdown(text: string, names: MentionNames = () => undefined): string {
  // Split into code blocks, code spans and the rest; only the rest is converted.
  const parts = text.split(/(```[\s\S]*?```|`[^`\n]+`)/g);
  return parts
    .map((part, i) => (i % 2 === 1 ? decodeEntities(part) : inline(part, names)))
    .join("")
    .trim();
}
