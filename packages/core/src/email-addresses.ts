// Reply-to addresses that map an email reply back to its conversation, signed
// for the one person the email went to, so they cannot be guessed, altered or
// used by someone else:
//   r<conversation id, base32>.<c|u><signature, base32>@<INBOUND_EMAIL_DOMAIN>
// c: the email went to the conversation's customer; u: to an agent. The
// signature is 80 bits of HMAC-SHA256 (key derived from SECRET_KEY_BASE) over
// the conversation id, the kind and the recipient's id. The recipient's id is
// not in the address: the receiver finds it from the sender (the customer, or
// the agent whose email sent it) and checks the signature with it. Lower case
// only and 44 characters, as mail servers may fold case and cap local parts at 64.
import { createHmac, timingSafeEqual } from "node:crypto";

export type ReplyRecipient = { type: "customer" | "user"; id: string };

export type ReplyAddressSettings = { secretKeyBase: string; inboundDomain: string | null };

const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
const LOCAL_PART = /^r([a-z2-7]{26})\.([cu])([a-z2-7]{16})$/;

function base32(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function fromBase32(text: string, byteLength: number): Buffer {
  const out = Buffer.alloc(byteLength);
  let bits = 0;
  let value = 0;
  let index = 0;
  for (const char of text) {
    value = (value << 5) | ALPHABET.indexOf(char);
    bits += 5;
    if (bits >= 8 && index < byteLength) {
      out[index++] = (value >>> (bits - 8)) & 255;
      bits -= 8;
    }
  }
  return out;
}

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ""), "hex");
}

function uuidFromBytes(bytes: Buffer): string {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function signature(secretKeyBase: string, conversationId: string, recipient: ReplyRecipient) {
  // A key of its own, so a signature here is worth nothing anywhere else.
  const key = createHmac("sha256", secretKeyBase).update("netia:reply-address").digest();
  const kind = recipient.type === "customer" ? "c" : "u";
  return createHmac("sha256", key)
    .update(`${conversationId.toLowerCase()}.${kind}.${recipient.id}`)
    .digest()
    .subarray(0, 10);
}

/** The reply-to address of an email about `conversationId` to `recipient`; null without INBOUND_EMAIL_DOMAIN. */
export function replyAddress(
  settings: ReplyAddressSettings,
  conversationId: string,
  recipient: ReplyRecipient,
): string | null {
  if (!settings.inboundDomain) return null;
  const kind = recipient.type === "customer" ? "c" : "u";
  const mac = base32(signature(settings.secretKeyBase, conversationId, recipient));
  return `r${base32(uuidBytes(conversationId))}.${kind}${mac}@${settings.inboundDomain}`;
}

function localPartOf(settings: ReplyAddressSettings, address: string): RegExpExecArray | null {
  const at = address.lastIndexOf("@");
  if (at < 0 || !settings.inboundDomain) return null;
  if (address.slice(at + 1).toLowerCase() !== settings.inboundDomain) return null;
  return LOCAL_PART.exec(address.slice(0, at).toLowerCase());
}

/**
 * What a reply-to address claims: its conversation and whether it was sent to
 * the customer or an agent; null when it is not shaped like one of ours.
 * Check it with `replyAddressSignedFor` before believing it.
 */
export function parseReplyAddress(
  settings: ReplyAddressSettings,
  address: string,
): { conversationId: string; recipientType: ReplyRecipient["type"] } | null {
  const match = localPartOf(settings, address);
  if (!match) return null;
  return {
    conversationId: uuidFromBytes(fromBase32(match[1] as string, 16)),
    recipientType: match[2] === "c" ? "customer" : "user",
  };
}

/** Whether `address` was made by `replyAddress` for this recipient (constant-time). */
export function replyAddressSignedFor(
  settings: ReplyAddressSettings,
  address: string,
  recipient: ReplyRecipient,
): boolean {
  const match = localPartOf(settings, address);
  const parsed = parseReplyAddress(settings, address);
  if (!match || !parsed || parsed.recipientType !== recipient.type) return false;
  const given = fromBase32(match[3] as string, 10);
  return timingSafeEqual(
    given,
    signature(settings.secretKeyBase, parsed.conversationId, recipient),
  );
}

/** A uuid as 26 lower-case base32 characters, for addresses whose case may be folded. */
export function uuidToBase32(uuid: string): string {
  return base32(uuidBytes(uuid));
}

/** The uuid of `uuidToBase32`; null when `text` is not 26 base32 characters. */
export function uuidFromBase32(text: string): string | null {
  return /^[a-z2-7]{26}$/.test(text) ? uuidFromBytes(fromBase32(text, 16)) : null;
}
