import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { and, desc, eq, ilike, or, sql } from "drizzle-orm";
import { notFound } from "./errors";
import { type Keyset, page } from "./pagination";

const { customers, customerTags, tags, conversations } = schema;

/** Escapes LIKE wildcards so a search for "50%" means exactly that. */
export const likePattern = (query: string) => `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listCustomers(
  db: Db,
  input: { accountId: string; query?: string; cursor?: Keyset; limit: number },
) {
  const filters = [eq(customers.accountId, input.accountId)];
  if (input.query) {
    const pattern = likePattern(input.query);
    const match = or(
      ilike(customers.name, pattern),
      ilike(customers.email, pattern),
      ilike(customers.externalId, pattern),
    );
    if (match) filters.push(match);
  }
  if (input.cursor) {
    const { at, id } = input.cursor;
    filters.push(sql`(${customers.createdAt}, ${customers.id}) < (${at.toISOString()}, ${id})`);
  }
  const rows = await db
    .select()
    .from(customers)
    .where(and(...filters))
    .orderBy(desc(customers.createdAt), desc(customers.id))
    .limit(input.limit + 1);
  return page(rows, input.limit, (c) => ({ at: c.createdAt, id: c.id }));
}

export async function getCustomer(db: Db, { accountId, id }: { accountId: string; id: string }) {
  const [customer] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.accountId, accountId), eq(customers.id, id)))
    .limit(1);
  if (!customer) throw notFound("Customer");
  const [customerTagRows, recentConversations] = await Promise.all([
    db
      .select({ id: tags.id, name: tags.name, color: tags.color })
      .from(customerTags)
      .innerJoin(tags, eq(tags.id, customerTags.tagId))
      .where(eq(customerTags.customerId, id)),
    db
      .select({
        id: conversations.id,
        status: conversations.status,
        lastActivityAt: conversations.lastActivityAt,
      })
      .from(conversations)
      .where(and(eq(conversations.accountId, accountId), eq(conversations.customerId, id)))
      .orderBy(desc(conversations.lastActivityAt))
      .limit(20),
  ]);
  return { ...customer, tags: customerTagRows, conversations: recentConversations };
}

export type CustomerUpdate = Partial<
  Pick<typeof customers.$inferInsert, "name" | "email" | "phone" | "metadata">
>;

export async function updateCustomer(
  db: Db,
  { accountId, id, ...changes }: { accountId: string; id: string } & CustomerUpdate,
) {
  const [customer] = await db
    .update(customers)
    .set(changes)
    .where(and(eq(customers.accountId, accountId), eq(customers.id, id)))
    .returning();
  if (!customer) throw notFound("Customer");
  return customer;
}
