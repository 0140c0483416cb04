// Files customers and agents attach to messages: validated, stored in
// Postgres, linked to the message that carries them, downloaded by a URL with
// a random key (so an <img> in the widget or an email can load it).
import { randomBytes } from "node:crypto";
import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { AppError, notFound } from "./errors";
import { safeEqualHex } from "./tokens";

const { attachments } = schema;

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
  // Control characters and quotes would break the Content-Disposition header.
  const cleaned = [...base]
    .filter((c) => c.charCodeAt(0) > 0x1f && c !== "\u007f" && c !== '"')
    .join("")
    .trim()
    .slice(0, 200);
  return cleaned || "file";
}

export async function storeAttachment(
  db: Db,
  input: {
    accountId: string;
    uploader: Uploader;
    filename: string;
    contentType: string;
    data: Buffer;
  },
): Promise<AttachmentDTO> {
  const contentType = input.contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (!ALLOWED_CONTENT_TYPES.has(contentType)) {
    throw new AppError(
      "BAD_REQUEST",
      `Files of type ${contentType || "(none)"} cannot be attached; send an image, a PDF, text or an office document`,
    );
  }
  if (input.data.length === 0) throw new AppError("BAD_REQUEST", "The file is empty");
  if (input.data.length > ATTACHMENT_MAX_BYTES) {
    throw new AppError("BAD_REQUEST", "The file is larger than 10 MB");
  }
  const [row] = await db
    .insert(attachments)
    .values({
      accountId: input.accountId,
      uploadedByCustomerId: "customerId" in input.uploader ? input.uploader.customerId : null,
      uploadedByUserId: "userId" in input.uploader ? input.uploader.userId : null,
      filename: cleanFilename(input.filename),
      contentType,
      size: input.data.length,
      downloadKey: randomBytes(24).toString("hex"),
      data: input.data,
    })
    .returning();
  if (!row) throw new Error("attachment insert returned nothing");
  return toAttachmentDTO(row);
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

/** The file behind a download URL; NOT_FOUND for a wrong key or an unsent upload of someone else. */
export async function getAttachmentFile(db: Db, input: { id: string; key: string }) {
  const [row] = await db.select().from(attachments).where(eq(attachments.id, input.id)).limit(1);
  if (!row || !safeEqualHex(row.downloadKey, input.key)) throw notFound("File");
  return row;
}
