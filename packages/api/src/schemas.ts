// Shapes shared by several procedures. Inputs are strict about sizes so an
// oversized request is a BAD_REQUEST before it reaches the database; outputs
// turn Dates into ISO strings, which is what JSON carries to every client.
// Every string input is built on ZText (no NUL, no unpaired surrogates) or a
// format that cannot hold those (uuid, email, an anchored regex); the
// bad-input test checks each procedure's schema for it.
import {
  DATE_RANGE_MESSAGE,
  isStorableDate,
  type Keyset,
  parseCursor,
  ZText,
  ZUrl,
} from "@netia/core";
import { z } from "zod";

export { ZText, ZUrl };

/**
 * A date as JSON carries it. The pipe into a string is what the OpenAPI
 * document shows (an output transform alone cannot be described).
 */
export const isoDate = z
  .date()
  .transform((d) => d.toISOString())
  .pipe(z.string().meta({ format: "date-time" }));
export const nullableIsoDate = isoDate.nullable();

export const ZId = z.uuid("must be a valid id");
export const ZUserId = ZText.min(1).max(64);
/**
 * A page size. Coerced from text because over REST it comes in the query
 * string: coerced here, always, rather than patched in by the REST adapter
 * (which sets coercion on a GET input's number fields at its first call), so
 * tRPC and REST accept the same inputs from the first request on.
 */
export const ZLimit = z.coerce.number<number>().int().min(1).max(100).default(25);
/** A page cursor from a previous answer, parsed here: a malformed one is a 400. */
export const ZCursor = ZText.max(200).transform((cursor, ctx): Keyset => {
  const keyset = parseCursor(cursor);
  if (!keyset) {
    ctx.issues.push({ code: "custom", message: "is not a valid cursor", input: cursor });
    return z.NEVER;
  }
  return keyset;
});
/** A date and time with its offset, within the years Netia stores (1970 to 9999). */
export const ZDateTime = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s))
  .refine(isStorableDate, DATE_RANGE_MESSAGE);
export const ZClientMessageId = ZText.trim().min(1).max(100);
export const ZEmail = z.email("must be a valid email").max(254);
export const ZPassword = ZText.min(8, "must be at least 8 characters").max(128);
export const ZName = ZText.trim().min(1).max(100);
/** Message bodies: 10,000 characters is far beyond any chat message and bounds storage. */
export const ZBody = ZText.trim().min(1, "cannot be empty").max(10_000);
export const ZMetadata = z
  .record(ZText.max(100), z.union([ZText.max(1000), z.number(), z.boolean(), z.null()]))
  .refine((m) => Object.keys(m).length <= 50, "can have at most 50 keys");
export const ZColor = ZText.regex(/^#[0-9a-fA-F]{6}$/, "must be a hex colour like #1890ff");

/**
 * An update's input: fields not named in `keys` (the row's id) are changes,
 * and at least one must be given. An update with nothing to change is the
 * caller's mistake (a 400), not an empty SQL UPDATE.
 */
export function withSomeChange<T extends z.ZodObject>(schema: T, ...keys: string[]) {
  return schema.refine(
    (input) => Object.entries(input).some(([k, v]) => v !== undefined && !keys.includes(k)),
    "names nothing to change",
  );
}
export const ZRole = z.enum(["admin", "agent"]);

export const ZOk = z.object({ ok: z.literal(true) });
export const ok = { ok: true as const };

export const ZUser = z.object({ id: z.string(), name: z.string(), email: z.string() });

export const ZAttachment = z.object({
  id: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number(),
  /** Path on the Netia server; prefix the server's base URL. */
  url: z.string(),
});

/** Uploads (POST /api/attachments) to send with a message. */
export const ZAttachmentIds = z.array(z.uuid()).max(10).optional();

export const ZMessage = z.object({
  id: z.string(),
  seq: z.number(),
  conversationId: z.string(),
  type: z.enum(["reply", "note", "bot"]),
  senderType: z.enum(["user", "customer", "bot"]),
  userId: z.string().nullable(),
  customerId: z.string().nullable(),
  body: z.string(),
  private: z.boolean(),
  clientMessageId: z.string().nullable(),
  seenAt: nullableIsoDate,
  metadata: z.record(z.string(), z.unknown()),
  attachments: z.array(ZAttachment),
  createdAt: isoDate,
});

export const ZPreview = z
  .object({
    body: z.string(),
    senderType: z.enum(["user", "customer", "bot"]),
    private: z.boolean(),
    createdAt: isoDate,
  })
  .nullable();

export const ZTag = z.object({ id: z.string(), name: z.string(), color: z.string().nullable() });

export const ZCustomer = z.object({
  id: z.string(),
  externalId: z.string().nullable(),
  /** Whether externalId was proven with an identity hash (a separate customer from a mere claim). */
  verified: z.boolean(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  companyId: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  currentUrl: z.string().nullable(),
  host: z.string().nullable(),
  pathname: z.string().nullable(),
  referrer: z.string().nullable(),
  browser: z.string().nullable(),
  os: z.string().nullable(),
  screen: z.string().nullable(),
  timeZone: z.string().nullable(),
  language: z.string().nullable(),
  lastSeenAt: nullableIsoDate,
  createdAt: isoDate,
});

export const ZConversation = z.object({
  id: z.string(),
  status: z.enum(["open", "closed", "snoozed"]),
  priority: z.enum(["normal", "high"]),
  channel: z.enum(["chat", "email", "slack", "api"]),
  read: z.boolean(),
  assigneeId: z.string().nullable(),
  inboxId: z.string(),
  customerId: z.string(),
  subject: z.string().nullable(),
  firstRepliedAt: nullableIsoDate,
  closedAt: nullableIsoDate,
  snoozedUntil: nullableIsoDate,
  lastActivityAt: isoDate,
  createdAt: isoDate,
});
