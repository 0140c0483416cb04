// One received email, read with mailparser into what Netia needs: who sent it,
// to which addresses, which thread it answers, the reply text alone, its
// files, and whether a machine sent it (an auto-reply, a bounce, a loop of
// Netia's own mail), which is never turned into a message.
import { createHash } from "node:crypto";
import { type AddressObject, type HeaderValue, simpleParser } from "mailparser";
import { replyText, replyTextFromHtml } from "./reply-text";

/** Set on every email Netia sends; seeing it come back means a loop. */
export const LOOP_HEADER = "X-Netia-Loop";

export type AutomaticKind = "auto_reply" | "bounce" | "loop";

export type InboundAttachment = {
  filename: string;
  contentType: string;
  content: Buffer;
};

export type InboundEmail = {
  /** The Message-ID header (`<id@host>`), or `<sha256 of the raw message@netia>` without one. */
  messageIdHeader: string;
  from: { address: string; name: string | null } | null;
  /** To, Cc, Delivered-To and X-Original-To addresses, lower case, each once. */
  recipients: string[];
  subject: string | null;
  inReplyTo: string | null;
  /** Message-IDs of the thread (References), oldest first. */
  references: string[];
  /** What the sender wrote: quoted history and signature removed. */
  text: string;
  attachments: InboundAttachment[];
  /** Sent by a machine (not to be answered or stored as a message), or null. */
  automatic: AutomaticKind | null;
};

const lower = (s: string) => s.trim().toLowerCase();

function addressesOf(value: AddressObject | AddressObject[] | undefined): string[] {
  const out: string[] = [];
  for (const object of Array.isArray(value) ? value : value ? [value] : []) {
    const walk = (list: AddressObject["value"]) => {
      for (const entry of list) {
        if (entry.address) out.push(lower(entry.address));
        if (entry.group) walk(entry.group);
      }
    };
    walk(object.value);
  }
  return out;
}

/** A header mailparser keeps as text (it parses only some headers into objects). */
function headerText(headers: Map<string, HeaderValue>, name: string): string | null {
  const value = headers.get(name);
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(String).join(", ");
  if (typeof value === "object" && "value" in value) return String(value.value);
  if (typeof value === "object" && "text" in value) return String(value.text);
  return String(value);
}

/** Bare addresses in a header like Delivered-To (which may appear several times). */
function headerAddresses(
  headerLines: readonly { key: string; line: string }[],
  name: string,
): string[] {
  return headerLines
    .filter((h) => h.key === name)
    .flatMap((h) => h.line.slice(h.line.indexOf(":") + 1).match(/[^\s<>,;"]+@[^\s<>,;"]+/g) ?? [])
    .map(lower);
}

function messageIds(value: string | string[] | undefined): string[] {
  const joined = Array.isArray(value) ? value.join(" ") : (value ?? "");
  return joined.match(/<[^<>\s]+>/g) ?? [];
}

const SIGNATURE_IMAGE_BYTES = 16 * 1024;

const BOUNCE_SENDER = /^(mailer-daemon|postmaster)@/i;

/** Why a machine sent this email, from its headers alone; null: a person did. */
export function automaticKind(mail: {
  headers: Map<string, HeaderValue>;
  from: string | null;
  contentType: string | null;
}): AutomaticKind | null {
  const { headers } = mail;
  if (headers.has(LOOP_HEADER.toLowerCase())) return "loop";
  // Delivery status notifications (RFC 3464) and senders that only bounce.
  if (mail.contentType?.toLowerCase().startsWith("multipart/report")) return "bounce";
  if (mail.from && BOUNCE_SENDER.test(mail.from)) return "bounce";
  // RFC 3834: anything but "no" is automatic (auto-replied, auto-generated, ...).
  const autoSubmitted = headerText(headers, "auto-submitted");
  if (autoSubmitted && lower(autoSubmitted) !== "no") return "auto_reply";
  if (headers.has("x-autoreply") || headers.has("x-autorespond")) return "auto_reply";
  const precedence = headerText(headers, "precedence");
  if (precedence && ["bulk", "junk", "list", "auto_reply"].includes(lower(precedence))) {
    return "auto_reply";
  }
  return null;
}

/** Parses a raw RFC 5322 message (as received over SMTP or posted as `body-mime`). */
export async function parseInboundEmail(raw: Buffer): Promise<InboundEmail> {
  // The HTML fallback is ours: it cuts the quote blocks before converting.
  const mail = await simpleParser(raw, {
    skipHtmlToText: true,
    skipImageLinks: true,
    skipTextLinks: true,
  });
  const fromEntry = mail.from?.value.find((v) => v.address);
  const from = fromEntry?.address
    ? { address: lower(fromEntry.address), name: fromEntry.name?.trim() || null }
    : null;
  const recipients = [
    ...addressesOf(mail.to),
    ...addressesOf(mail.cc),
    ...headerAddresses(mail.headerLines, "delivered-to"),
    ...headerAddresses(mail.headerLines, "x-original-to"),
  ];
  const contentType = headerText(mail.headers, "content-type");
  const [messageId] = messageIds(mail.messageId);
  const plain = mail.text?.trim() ? mail.text : null;
  return {
    messageIdHeader:
      messageId ?? `<${createHash("sha256").update(raw).digest("hex")}@netia.invalid>`,
    from,
    recipients: [...new Set(recipients)],
    subject: mail.subject?.trim() || null,
    inReplyTo: messageIds(mail.inReplyTo)[0] ?? null,
    references: messageIds(mail.references),
    text: plain
      ? replyText(plain)
      : typeof mail.html === "string"
        ? replyTextFromHtml(mail.html)
        : "",
    attachments: mail.attachments
      // Small pictures inside the HTML are signature logos and icons, not files
      // the person sent; a pasted screenshot is larger and is kept.
      .filter((a) => !(a.related && a.size < SIGNATURE_IMAGE_BYTES))
      .map((a) => ({
        filename: a.filename ?? "attachment",
        contentType: a.contentType,
        content: a.content,
      })),
    automatic: automaticKind({ headers: mail.headers, from: from?.address ?? null, contentType }),
  };
}
