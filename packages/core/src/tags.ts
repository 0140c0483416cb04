import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { and, asc, eq } from "drizzle-orm";
import { AppError, notFound } from "./errors";
import { enqueueWebhookEvents, type WebhookJobs, webhookJobsFor } from "./webhook-events";

const { tags, conversationTags, customerTags, customers } = schema;

/** Postgres reports unique violations as 23505; drizzle wraps the driver error in `cause`. */
export function isUniqueViolation(error: unknown): boolean {
  let e: unknown = error;
  while (e && typeof e === "object") {
    if ((e as { code?: unknown }).code === "23505") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export async function uniqueName<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", `${what} already exists`);
    throw error;
  }
}

export async function listTags(db: Db, { accountId }: { accountId: string }) {
  return db.select().from(tags).where(eq(tags.accountId, accountId)).orderBy(asc(tags.name));
}

export async function getTag(db: Db, { accountId, id }: { accountId: string; id: string }) {
  const [tag] = await db
    .select()
    .from(tags)
    .where(and(eq(tags.accountId, accountId), eq(tags.id, id)))
    .limit(1);
  if (!tag) throw notFound("Tag");
  return tag;
}

export async function createTag(
  db: Db,
  input: { accountId: string; name: string; color?: string | null },
) {
  const [tag] = await uniqueName(`A tag named "${input.name}"`, () =>
    db.insert(tags).values(input).returning(),
  );
  if (!tag) throw new Error("tag insert returned nothing");
  return tag;
}

export async function updateTag(
  db: Db,
  input: { accountId: string; id: string; name?: string; color?: string | null },
) {
  const { accountId, id, ...changes } = input;
  const [tag] = await uniqueName(`A tag named "${changes.name}"`, () =>
    db
      .update(tags)
      .set(changes)
      .where(and(eq(tags.accountId, accountId), eq(tags.id, id)))
      .returning(),
  );
  if (!tag) throw notFound("Tag");
  return tag;
}

/**
 * Deletes a tag, and with it its place on every conversation and customer.
 * Each conversation that carried it changed, so it sends `conversation.updated`
 * (enqueued in the delete's transaction, as a tag removed by hand does).
 */
export async function deleteTag(
  deps: { db: Db; jobs?: WebhookJobs },
  { accountId, id }: { accountId: string; id: string },
) {
  const hooks = await webhookJobsFor(deps, accountId, ["conversation.updated"]);
  await deps.db.transaction(async (tx) => {
    // Locked first: a conversation being tagged with it meanwhile waits, then fails on the missing tag.
    const [tag] = await tx
      .select({ id: tags.id })
      .from(tags)
      .where(and(eq(tags.accountId, accountId), eq(tags.id, id)))
      .for("update");
    if (!tag) throw notFound("Tag");
    // Removed before the tag (its cascade would remove them unseen), to know whose they were.
    const untagged = hooks
      ? await tx
          .delete(conversationTags)
          .where(and(eq(conversationTags.accountId, accountId), eq(conversationTags.tagId, id)))
          .returning({ conversationId: conversationTags.conversationId })
      : [];
    await tx.delete(tags).where(eq(tags.id, id));
    await enqueueWebhookEvents(
      hooks,
      tx,
      untagged.map(({ conversationId }) => ({
        type: "conversation.updated" as const,
        accountId,
        conversationId,
      })),
    );
  });
}

export async function assertCustomer(db: Db, accountId: string, customerId: string) {
  const [row] = await db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.accountId, accountId), eq(customers.id, customerId)))
    .limit(1);
  if (!row) throw notFound("Customer");
}

export async function tagCustomer(
  db: Db,
  input: { accountId: string; customerId: string; tagId: string },
) {
  await assertCustomer(db, input.accountId, input.customerId);
  await getTag(db, { accountId: input.accountId, id: input.tagId });
  await db.insert(customerTags).values(input).onConflictDoNothing();
}

export async function untagCustomer(
  db: Db,
  input: { accountId: string; customerId: string; tagId: string },
) {
  await assertCustomer(db, input.accountId, input.customerId);
  await db
    .delete(customerTags)
    .where(
      and(
        eq(customerTags.accountId, input.accountId),
        eq(customerTags.customerId, input.customerId),
        eq(customerTags.tagId, input.tagId),
      ),
    );
}
