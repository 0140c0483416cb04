import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { and, asc, eq } from "drizzle-orm";
import { notFound } from "./errors";
import { uniqueName } from "./tags";

const { savedReplies } = schema;

export async function listSavedReplies(db: Db, { accountId }: { accountId: string }) {
  return db
    .select()
    .from(savedReplies)
    .where(eq(savedReplies.accountId, accountId))
    .orderBy(asc(savedReplies.shortcut));
}

export async function createSavedReply(
  db: Db,
  input: { accountId: string; createdById: string; shortcut: string; body: string },
) {
  const [reply] = await uniqueName(`A saved reply "/${input.shortcut}"`, () =>
    db.insert(savedReplies).values(input).returning(),
  );
  if (!reply) throw new Error("saved reply insert returned nothing");
  return reply;
}

export async function updateSavedReply(
  db: Db,
  input: { accountId: string; id: string; shortcut?: string; body?: string },
) {
  const { accountId, id, ...changes } = input;
  const [reply] = await uniqueName(`A saved reply "/${changes.shortcut}"`, () =>
    db
      .update(savedReplies)
      .set(changes)
      .where(and(eq(savedReplies.accountId, accountId), eq(savedReplies.id, id)))
      .returning(),
  );
  if (!reply) throw notFound("Saved reply");
  return reply;
}

export async function deleteSavedReply(
  db: Db,
  { accountId, id }: { accountId: string; id: string },
) {
  const deleted = await db
    .delete(savedReplies)
    .where(and(eq(savedReplies.accountId, accountId), eq(savedReplies.id, id)))
    .returning({ id: savedReplies.id });
  if (deleted.length === 0) throw notFound("Saved reply");
}
