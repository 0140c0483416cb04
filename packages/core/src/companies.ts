// Companies the account's customers belong to: a name and a website, listed,
// searched and opened with their customers and those customers' conversations.
import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { and, asc, desc, eq, ilike, inArray, or, sql } from "drizzle-orm";
import { likePattern } from "./customers";
import { notFound } from "./errors";
import { type Keyset, page } from "./pagination";

const { companies, customers, conversations } = schema;

export type CompanyFields = {
  name: string;
  website?: string | null;
  metadata?: Record<string, unknown>;
};

export async function listCompanies(
  db: Db,
  input: { accountId: string; query?: string; cursor?: Keyset; limit: number },
) {
  const filters = [eq(companies.accountId, input.accountId)];
  if (input.query) {
    const pattern = likePattern(input.query);
    const match = or(ilike(companies.name, pattern), ilike(companies.website, pattern));
    if (match) filters.push(match);
  }
  if (input.cursor) {
    const { at, id } = input.cursor;
    filters.push(sql`(${companies.createdAt}, ${companies.id}) < (${at.toISOString()}, ${id})`);
  }
  const rows = await db
    .select({
      id: companies.id,
      name: companies.name,
      website: companies.website,
      metadata: companies.metadata,
      createdAt: companies.createdAt,
      // Spelled out: inside a select list drizzle leaves column names unqualified.
      customerCount: sql<number>`(select count(*)::int from customers c where c.company_id = "companies"."id")`,
    })
    .from(companies)
    .where(and(...filters))
    .orderBy(desc(companies.createdAt), desc(companies.id))
    .limit(input.limit + 1);
  return page(rows, input.limit, (c) => ({ at: c.createdAt, id: c.id }));
}

/** The company, or NOT_FOUND when it is not this account's. */
export async function assertCompany(db: Db, accountId: string, id: string) {
  const [company] = await db
    .select()
    .from(companies)
    .where(and(eq(companies.accountId, accountId), eq(companies.id, id)))
    .limit(1);
  if (!company) throw notFound("Company");
  return company;
}

/** A company with its customers (up to 200) and their most recent conversations (up to 50). */
export async function getCompany(db: Db, { accountId, id }: { accountId: string; id: string }) {
  const company = await assertCompany(db, accountId, id);
  const members = await db
    .select({
      id: customers.id,
      name: customers.name,
      email: customers.email,
      lastSeenAt: customers.lastSeenAt,
    })
    .from(customers)
    .where(and(eq(customers.accountId, accountId), eq(customers.companyId, id)))
    .orderBy(asc(customers.name), asc(customers.id))
    .limit(200);
  const recent =
    members.length === 0
      ? []
      : await db
          .select({
            id: conversations.id,
            customerId: conversations.customerId,
            status: conversations.status,
            subject: conversations.subject,
            lastActivityAt: conversations.lastActivityAt,
          })
          .from(conversations)
          .where(
            and(
              eq(conversations.accountId, accountId),
              inArray(
                conversations.customerId,
                members.map((m) => m.id),
              ),
            ),
          )
          .orderBy(desc(conversations.lastActivityAt), desc(conversations.id))
          .limit(50);
  return { ...company, customers: members, conversations: recent };
}

export async function createCompany(db: Db, input: { accountId: string } & CompanyFields) {
  const [company] = await db.insert(companies).values(input).returning();
  if (!company) throw new Error("company insert returned nothing");
  return company;
}

export async function updateCompany(
  db: Db,
  { accountId, id, ...changes }: { accountId: string; id: string } & Partial<CompanyFields>,
) {
  const [company] = await db
    .update(companies)
    .set(changes)
    .where(and(eq(companies.accountId, accountId), eq(companies.id, id)))
    .returning();
  if (!company) throw notFound("Company");
  return company;
}

/** Deletes the company; its customers stay, without a company (the foreign key sets null). */
export async function deleteCompany(db: Db, { accountId, id }: { accountId: string; id: string }) {
  const deleted = await db
    .delete(companies)
    .where(and(eq(companies.accountId, accountId), eq(companies.id, id)))
    .returning({ id: companies.id });
  if (deleted.length === 0) throw notFound("Company");
}

/** Puts the customer in the company, or in none with `companyId: null`. */
export async function setCustomerCompany(
  db: Db,
  input: { accountId: string; customerId: string; companyId: string | null },
) {
  if (input.companyId) await assertCompany(db, input.accountId, input.companyId);
  const [customer] = await db
    .update(customers)
    .set({ companyId: input.companyId })
    .where(and(eq(customers.accountId, input.accountId), eq(customers.id, input.customerId)))
    .returning();
  if (!customer) throw notFound("Customer");
  return customer;
}
