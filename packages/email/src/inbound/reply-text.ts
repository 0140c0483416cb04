// The new part of an email reply: what the person wrote, without the quoted
// history below it or their signature. Mail clients quote in their own ways,
// so the known "here the quote starts" lines are cut first (Gmail, Apple Mail
// and Outlook headers, "-----Original Message-----"), then email-reply-parser
// removes what is left of ">" quotes and "-- " signatures. A client that
// quotes in a way not listed here leaves its quote in the message; nothing
// the person wrote is ever cut above a marker.
import EmailReplyParser from "email-reply-parser";

/** Lines that open a quoted message; everything from them on is history. */
const QUOTE_HEADERS: RegExp[] = [
  // Gmail, Apple Mail, Thunderbird: "On Tue, 1 Dec 2026 at 10:00, Ann <a@b.c> wrote:",
  // possibly wrapped over two or three lines.
  /^[ \t]*On\b[^\n]{0,300}(?:\n[^\n]{0,300}){0,2}?\bwrote:[ \t]*$/im,
  // The same in German and French clients.
  /^[ \t]*Am\b[^\n]{0,300}(?:\n[^\n]{0,300}){0,2}?\bschrieb[^\n]{0,100}:[ \t]*$/im,
  /^[ \t]*Le\b[^\n]{0,300}(?:\n[^\n]{0,300}){0,2}?\ba écrit[ \t]*:[ \t]*$/im,
  // Outlook: "-----Original Message-----" or a rule line, then a header block.
  /^[ \t]*-{2,}[ \t]*Original Message[ \t]*-{2,}[ \t]*$/im,
  /^[ \t]*_{10,}[ \t]*\n(?:[ \t]*\n)?[ \t]*\*?From:\*?[ \t]/im,
  // Outlook on the web / mobile: a "From: … Sent: …" block without a rule line.
  /^[ \t]*\*?From:\*?[ \t][^\n]+\n[ \t]*\*?(?:Sent|Date):\*?[ \t][^\n]+\n(?:[ \t]*\*?(?:To|Cc):\*?[^\n]*\n)*[ \t]*\*?Subject:/im,
  // Forwarded or quoted by mobile clients.
  /^[ \t]*-{2,}[ \t]*Forwarded message[ \t]*-{2,}[ \t]*$/im,
];

/** Signatures that mobile clients add on their own. */
const DEVICE_SIGNATURE =
  /^[ \t]*(?:Sent from my [^\n]{1,60}|Get Outlook for [^\n]{1,40}|Sent from (?:Mail|Outlook) for [^\n]{1,40})[ \t]*$/im;

function cutAt(text: string, pattern: RegExp): string {
  const match = pattern.exec(text);
  return match ? text.slice(0, match.index) : text;
}

/** The reply part of a plain-text email body. */
export function replyText(text: string): string {
  let body = text.replace(/\r\n?/g, "\n");
  for (const marker of QUOTE_HEADERS) body = cutAt(body, marker);
  body = cutAt(body, DEVICE_SIGNATURE);
  const parsed = new EmailReplyParser().parseReply(body);
  // Keep the person's own line breaks; drop trailing blank lines and quote leftovers.
  return parsed
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** The quoted parts of an HTML reply: Gmail, Apple Mail/Thunderbird, Outlook. */
const HTML_QUOTE_STARTS = [
  /<div[^>]*class="[^"]*\bgmail_quote\b/i,
  /<div[^>]*class="[^"]*\bgmail_signature\b/i,
  /<blockquote[^>]*type="cite"/i,
  /<div[^>]*id="(?:appendonsend|divRplyFwdMsg|mail-editor-reference-message-container)"/i,
  /<hr[^>]*id="stopSpelling"/i,
  /<div[^>]*class="[^"]*\bmoz-cite-prefix\b/i,
];

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

/** Plain text of an HTML body: block ends become line breaks, tags go, entities decode. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|li|tr|h[1-6]|blockquote)>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === "#") {
        const code =
          name[1] === "x" || name[1] === "X"
            ? Number.parseInt(name.slice(2), 16)
            : Number.parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000
          ? String.fromCodePoint(code)
          : "";
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** The reply part of an HTML-only email: the quote blocks are cut before converting. */
export function replyTextFromHtml(html: string): string {
  let body = html;
  for (const marker of HTML_QUOTE_STARTS) body = cutAt(body, marker);
  return replyText(htmlToText(body));
}
