// A message as code holds it (a row plus its attachments) and as it travels in
// events and over the wire (dates as ISO strings). Types only and one pure
// function, so the event, read and write modules can all use them.
import type { schema } from "@netia/db";
import type { AttachmentDTO } from "./attachments";

export type MessageRow = typeof schema.messages.$inferSelect;
export type Message = MessageRow & { attachments: AttachmentDTO[] };

export type MessageDTO = Omit<Message, "createdAt" | "seenAt"> & {
  createdAt: string;
  seenAt: string | null;
};

export function serializeMessage(m: Message): MessageDTO {
  return { ...m, createdAt: m.createdAt.toISOString(), seenAt: m.seenAt?.toISOString() ?? null };
}
