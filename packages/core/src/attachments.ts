// Files customers and agents attach to messages: validated, stored in
// Postgres, linked to the message that carries them, downloaded by a URL with
// a random key (so an <img> in the widget or an email can load it).
import { randomBytes } from "node:crypto";
import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { and, eq, inArray, isNull, lt } from "drizzle-orm";
import { AppError, notFound } from "./errors";
import { isWellFormedText } from "./input";
import { safeEqualHex } from "./tokens";

const { attachments, attachmentChunks } = schema;

export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
export const ATTACHMENTS_PER_MESSAGE = 10;

/**
 * What may be uploaded. SVG and HTML are left out on purpose: a browser would
 * run their scripts on Netia's origin.
 */
export const ALLOWED_CONTENT_TYPES = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "application/pdf",
  "text/plain",
  "text/csv",
  "application/zip",
  "application/msword",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.ms-excel",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
]);

/** Images are shown inline; everything else downloads. */
export const isInlineImage = (contentType: string) => contentType.startsWith("image/");

export type Uploader = { customerId: string } | { userId: string };

export type AttachmentDTO = {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  /** Path on the Netia server; clients prefix their base URL. */
  url: string;
};

const urlOf = (a: { id: string; downloadKey: string; filename: string }) =>
  `/api/attachments/${a.id}/${a.downloadKey}/${encodeURIComponent(a.filename)}`;

export function toAttachmentDTO(a: typeof attachments.$inferSelect): AttachmentDTO {
  return {
    id: a.id,
    filename: a.filename,
    contentType: a.contentType,
    size: a.size,
    url: urlOf(a),
  };
}

/** Keeps a name that is safe in a URL path and a Content-Disposition header. */
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  // Control characters and quotes would break the Content-Disposition header;
  // a lone surrogate has no UTF-8 form. Cut by code point, never inside a pair.
  const cleaned = [...base]
    .filter((c) => c.charCodeAt(0) > 0x1f && c !== "\u007f" && c !== '"' && isWellFormedText(c))
    .slice(0, 200)
    .join("")
    .trim();
  return cleaned || "file";
}

/** Bytes per stored chunk: small enough that one query never holds up the server. */
export const ATTACHMENT_CHUNK_BYTES = 256 * 1024;

/** Lets other requests run between two chunks (on PGlite each query runs on this thread). */
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Stores an upload as it arrives, chunk by chunk, never holding the whole file
 * in one buffer or one query. Fails (and keeps nothing) when the body is empty,
 * of a type not allowed, or larger than ATTACHMENT_MAX_BYTES.
 */
export async function storeAttachment(
  db: Db,
  input: {
    accountId: string;
    uploader: Uploader;
    filename: string;
    contentType: string;
    body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  },
): Promise<AttachmentDTO> {
  const contentType = input.contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (!ALLOWED_CONTENT_TYPES.has(contentType)) {
    throw new AppError(
      "BAD_REQUEST",
      `Files of type ${contentType || "(none)"} cannot be attached; send an image, a PDF, text or an office document`,
    );
  }
  const [row] = await db
    .insert(attachments)
    .values({
      accountId: input.accountId,
      uploadedByCustomerId: "customerId" in input.uploader ? input.uploader.customerId : null,
      uploadedByUserId: "userId" in input.uploader ? input.uploader.userId : null,
      filename: cleanFilename(input.filename),
      contentType,
      // Until the last chunk is in; nobody knows the id before then.
      size: 0,
      downloadKey: randomBytes(24).toString("hex"),
    })
    .returning();
  if (!row) throw new Error("attachment insert returned nothing");
  try {
    let size = 0;
    let seq = 0;
    const pending = Buffer.allocUnsafe(ATTACHMENT_CHUNK_BYTES);
    let filled = 0;
    const flush = async () => {
      await db.insert(attachmentChunks).values({
        attachmentId: row.id,
        seq: seq++,
        data: Buffer.from(pending.subarray(0, filled)),
      });
      filled = 0;
      await yieldToOthers();
    };
    for await (const piece of input.body) {
      size += piece.byteLength;
      if (size > ATTACHMENT_MAX_BYTES) {
        throw new AppError("PAYLOAD_TOO_LARGE", "The file is larger than 10 MB");
      }
      let offset = 0;
      while (offset < piece.byteLength) {
        const take = Math.min(piece.byteLength - offset, ATTACHMENT_CHUNK_BYTES - filled);
        pending.set(piece.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === ATTACHMENT_CHUNK_BYTES) await flush();
      }
    }
    if (filled > 0) await flush();
    if (size === 0) throw new AppError("BAD_REQUEST", "The file is empty");
    const [stored] = await db
      .update(attachments)
      .set({ size })
      .where(eq(attachments.id, row.id))
      .returning();
    if (!stored) throw new Error("attachment vanished while it was stored");
    return toAttachmentDTO(stored);
  } catch (error) {
    // Nothing half-stored stays behind (its chunks go with it).
    await db.delete(attachments).where(eq(attachments.id, row.id));
    throw error;
  }
}

/** Removes an upload (and its bytes) of `accountId`. */
export async function deleteAttachment(db: Db, input: { accountId: string; id: string }) {
  await db
    .delete(attachments)
    .where(and(eq(attachments.accountId, input.accountId), eq(attachments.id, input.id)));
}

/** Uploads that no message carries, older than `olderThan`: removed with their bytes. */
export async function expireUnattachedUploads(
  db: Db,
  { olderThan }: { olderThan: Date },
): Promise<number> {
  const removed = await db
    .delete(attachments)
    .where(and(isNull(attachments.messageId), lt(attachments.createdAt, olderThan)))
    .returning({ id: attachments.id });
  return removed.length;
}

/**
 * Attaches uploads to a message, inside the message's transaction. Only the
 * uploader's own, not yet used uploads qualify; anything else fails the send.
 */
export async function linkAttachments(
  tx: Db,
  input: { accountId: string; messageId: string; uploader: Uploader; ids: string[] },
): Promise<AttachmentDTO[]> {
  if (input.ids.length === 0) return [];
  const ids = [...new Set(input.ids)];
  if (ids.length > ATTACHMENTS_PER_MESSAGE) {
    throw new AppError(
      "BAD_REQUEST",
      `A message can carry at most ${ATTACHMENTS_PER_MESSAGE} files`,
    );
  }
  const owner =
    "customerId" in input.uploader
      ? eq(attachments.uploadedByCustomerId, input.uploader.customerId)
      : eq(attachments.uploadedByUserId, input.uploader.userId);
  const linked = await tx
    .update(attachments)
    .set({ messageId: input.messageId })
    .where(
      and(
        eq(attachments.accountId, input.accountId),
        inArray(attachments.id, ids),
        isNull(attachments.messageId),
        owner,
      ),
    )
    .returning();
  if (linked.length !== ids.length) {
    throw new AppError("BAD_REQUEST", "An attachment is unknown or already sent; upload it again");
  }
  return linked.map(toAttachmentDTO);
}

/** Attachment metadata of many messages at once, by message id. */
export async function attachmentsOf(
  db: Db,
  messageIds: string[],
): Promise<Map<string, AttachmentDTO[]>> {
  const byMessage = new Map<string, AttachmentDTO[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await db
    .select({
      id: attachments.id,
      messageId: attachments.messageId,
      filename: attachments.filename,
      contentType: attachments.contentType,
      size: attachments.size,
      downloadKey: attachments.downloadKey,
    })
    .from(attachments)
    .where(inArray(attachments.messageId, messageIds));
  for (const row of rows) {
    if (!row.messageId) continue;
    const list = byMessage.get(row.messageId) ?? [];
    list.push({
      id: row.id,
      filename: row.filename,
      contentType: row.contentType,
      size: row.size,
      url: urlOf(row),
    });
    byMessage.set(row.messageId, list);
  }
  return byMessage;
}

/** The file behind a download URL (its bytes: `readAttachment`); NOT_FOUND for a wrong key. */
export async function getAttachmentFile(db: Db, input: { id: string; key: string }) {
  const [row] = await db.select().from(attachments).where(eq(attachments.id, input.id)).limit(1);
  if (!row || !safeEqualHex(row.downloadKey, input.key)) throw notFound("File");
  return row;
}

/** An attachment's bytes, one chunk per query, yielding to other requests in between. */
export async function* readAttachment(db: Db, attachmentId: string): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const [chunk] = await db
      .select({ data: attachmentChunks.data })
      .from(attachmentChunks)
      .where(and(eq(attachmentChunks.attachmentId, attachmentId), eq(attachmentChunks.seq, seq)));
    if (!chunk) return;
    yield chunk.data;
    await yieldToOthers();
  }
}
