// Agents' notes about a customer (not to be confused with private messages in a conversation).
import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { and, desc, eq } from "drizzle-orm";
import { notFound } from "./errors";
import { assertCustomer } from "./tags";

const { customerNotes } = schema;

export async function listCustomerNotes(
  db: Db,
  { accountId, customerId }: { accountId: string; customerId: string },
) {
  await assertCustomer(db, accountId, customerId);
  return db
    .select()
    .from(customerNotes)
    .where(and(eq(customerNotes.accountId, accountId), eq(customerNotes.customerId, customerId)))
    .orderBy(desc(customerNotes.createdAt), desc(customerNotes.id));
}

export async function createCustomerNote(
  db: Db,
  input: { accountId: string; customerId: string; authorId: string; body: string },
) {
  await assertCustomer(db, input.accountId, input.customerId);
  const [note] = await db.insert(customerNotes).values(input).returning();
  if (!note) throw new Error("note insert returned nothing");
  return note;
}

export async function deleteCustomerNote(
  db: Db,
  { accountId, id }: { accountId: string; id: string },
) {
  const deleted = await db
    .delete(customerNotes)
    .where(and(eq(customerNotes.accountId, accountId), eq(customerNotes.id, id)))
    .returning({ id: customerNotes.id });
  if (deleted.length === 0) throw notFound("Note");
}
