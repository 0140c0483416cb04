// A thin parse of one raw message from Gmail (mailparser): who it is from,
// its subject and threading headers, the new text without the quoted
// history (email-reply-parser), its attachments, and whether it is mail
// nobody typed (auto-replies, bounces, bulk mail), which never becomes a
// conversation. Kept here rather than shared with the SMTP inbound path so
// the Gmail channel depends on nothing but mailparser.
import { createHash } from "node:crypto";
import EmailReplyParser from "email-reply-parser";
import { type AddressObject, simpleParser } from "mailparser";

export type ParsedMail = {
  messageIdHeader: string;
  fromAddress: string | null;
  fromName: string | null;
  subject: string | null;
  /** Message-IDs this one answers (In-Reply-To first, then References). */
  references: string[];
  /** The text the sender wrote, without the quoted history. */
  text: string;
  attachments: { filename: string; contentType: string; content: Buffer }[];
  /** Why it is automatic mail (auto-reply, bounce, bulk), or null when a person wrote it. */
  automatic: string | null;
};

function firstAddress(value: AddressObject | AddressObject[] | undefined) {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((a) => a.value).find((a) => a.address) ?? null;
}

function idsIn(value: unknown): string[] {
  const text = Array.isArray(value) ? value.join(" ") : typeof value === "string" ? value : "";
  return text.match(/<[^<>\s]+>/g) ?? [];
}

/** RFC 3834 and the headers mail systems actually send on automatic mail. */
function automaticReason(
  headers: Map<string, unknown>,
  from: string | null,
  contentType: string,
): string | null {
  const header = (name: string) => {
    const value = headers.get(name);
    if (typeof value === "string") return value.toLowerCase();
    if (value && typeof value === "object" && "value" in value) {
      return String((value as { value: unknown }).value).toLowerCase();
    }
    return "";
  };
  const autoSubmitted = header("auto-submitted");
  if (autoSubmitted && autoSubmitted !== "no") return "auto_reply";
  if (headers.has("x-autoreply") || headers.has("x-autorespond")) return "auto_reply";
  if (["bulk", "junk", "auto_reply", "list"].includes(header("precedence"))) return "bulk";
  if (contentType.includes("multipart/report")) return "bounce";
  if (from && /^(mailer-daemon|postmaster)@/i.test(from)) return "bounce";
  return null;
}

export async function parseRawMail(raw: Buffer): Promise<ParsedMail> {
  const mail = await simpleParser(raw, { skipHtmlToText: false, skipTextToHtml: true });
  const from = firstAddress(mail.from);
  const fromAddress = from?.address?.toLowerCase() ?? null;
  const contentType = String(
    (mail.headers.get("content-type") as { value?: string } | undefined)?.value ?? "",
  ).toLowerCase();
  const body = mail.text ?? "";
  const visible = new EmailReplyParser().parseReply(body).trim();
  return {
    messageIdHeader:
      mail.messageId ?? `<sha256-${createHash("sha256").update(raw).digest("hex")}@gmail.netia>`,
    fromAddress,
    fromName: from?.name || null,
    subject: mail.subject?.trim() || null,
    references: [...new Set([...idsIn(mail.inReplyTo), ...idsIn(mail.references)])],
    text: visible || body.trim(),
    attachments: mail.attachments
      .filter((a) => a.contentDisposition !== "inline" || !a.contentId)
      .map((a) => ({
        filename: a.filename ?? "attachment",
        contentType: a.contentType,
        content: a.content,
      })),
    automatic: automaticReason(mail.headers, fromAddress, contentType),
  };
}
