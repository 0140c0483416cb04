import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { and, desc, eq, ilike, inArray, or, sql } from "drizzle-orm";
import { AppError, notFound } from "./errors";
import { type Keyset, page } from "./pagination";

const {
  customers,
  customerTags,
  customerNotes,
  tags,
  conversations,
  messages,
  companies,
  attachments,
} = schema;

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
  const [customerTagRows, recentConversations, company] = await Promise.all([
    db
      .select({ id: tags.id, name: tags.name, color: tags.color })
      .from(customerTags)
      .innerJoin(tags, eq(tags.id, customerTags.tagId))
      .where(eq(customerTags.customerId, id)),
    db
      .select({
        id: conversations.id,
        status: conversations.status,
        subject: conversations.subject,
        lastActivityAt: conversations.lastActivityAt,
      })
      .from(conversations)
      .where(and(eq(conversations.accountId, accountId), eq(conversations.customerId, id)))
      .orderBy(desc(conversations.lastActivityAt))
      .limit(20),
    customer.companyId
      ? db
          .select({ id: companies.id, name: companies.name })
          .from(companies)
          .where(and(eq(companies.accountId, accountId), eq(companies.id, customer.companyId)))
          .then((rows) => rows[0] ?? null)
      : null,
  ]);
  return { ...customer, company, tags: customerTagRows, conversations: recentConversations };
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

/** Profile fields a merge copies from the removed customer where the kept one has none. */
const FILLED_BY_MERGE = [
  "name",
  "email",
  "phone",
  "companyId",
  "currentUrl",
  "host",
  "pathname",
  "referrer",
  "browser",
  "os",
  "screen",
  "timeZone",
  "language",
] as const;

/**
 * Merges two records of the same person: `keepId` stays and receives the
 * other's conversations, messages, uploads, notes and tags, and every empty profile
 * field is filled from it; then `removeId` is deleted. All in one transaction,
 * so a failure leaves both untouched.
 *
 * The removed customer's widget sessions end with it (the foreign key
 * cascades): a visitor is never moved onto another identity, which could give
 * an unverified claim a verified customer's conversations (docs/security.md).
 * For the same reason the external id is carried over only between customers
 * of the same kind (verified or not).
 */
export async function mergeCustomers(
  db: Db,
  { accountId, keepId, removeId }: { accountId: string; keepId: string; removeId: string },
) {
  if (keepId === removeId) throw new AppError("BAD_REQUEST", "Pick two different customers");
  return db.transaction(async (tx) => {
    // Both rows locked, in a fixed order, so two merges of the same pair cannot interleave.
    const rows = await tx
      .select()
      .from(customers)
      .where(and(eq(customers.accountId, accountId), inArray(customers.id, [keepId, removeId])))
      .orderBy(customers.id)
      .for("update");
    const keep = rows.find((r) => r.id === keepId);
    const remove = rows.find((r) => r.id === removeId);
    if (!keep || !remove) throw notFound("Customer");

    const owned = (table: typeof conversations | typeof messages | typeof customerNotes) =>
      and(eq(table.accountId, accountId), eq(table.customerId, removeId));
    await tx.update(conversations).set({ customerId: keepId }).where(owned(conversations));
    await tx.update(messages).set({ customerId: keepId }).where(owned(messages));
    await tx.update(customerNotes).set({ customerId: keepId }).where(owned(customerNotes));
    await tx
      .update(attachments)
      .set({ uploadedByCustomerId: keepId })
      .where(
        and(eq(attachments.accountId, accountId), eq(attachments.uploadedByCustomerId, removeId)),
      );
    await tx.execute(sql`
      insert into ${customerTags} (account_id, customer_id, tag_id, created_at)
      select account_id, ${keepId}, tag_id, created_at from ${customerTags}
      where account_id = ${accountId} and customer_id = ${removeId}
      on conflict do nothing`);

    const filled: Partial<typeof customers.$inferInsert> = {};
    for (const field of FILLED_BY_MERGE) {
      if (keep[field] == null && remove[field] != null)
        Object.assign(filled, { [field]: remove[field] });
    }
    if (keep.externalId == null && remove.externalId != null && keep.verified === remove.verified) {
      filled.externalId = remove.externalId;
    }
    filled.metadata = { ...remove.metadata, ...keep.metadata };
    if (remove.lastSeenAt && (!keep.lastSeenAt || remove.lastSeenAt > keep.lastSeenAt)) {
      filled.lastSeenAt = remove.lastSeenAt;
    }

    // Deleted first: the external id it gives up is unique per account.
    await tx
      .delete(customers)
      .where(and(eq(customers.accountId, accountId), eq(customers.id, removeId)));
    const [merged] = await tx
      .update(customers)
      .set(filled)
      .where(and(eq(customers.accountId, accountId), eq(customers.id, keepId)))
      .returning();
    if (!merged) throw new Error("merged customer vanished inside its transaction");
    return merged;
  });
}
