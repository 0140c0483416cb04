// Companies: create, list and search, open with customers and conversations,
// update, delete (customers stay), and put a customer in one; another
// account's companies answer NOT_FOUND.
import { randomUUID } from "node:crypto";
import type { Runtime } from "@netia/runtime";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestRuntime, newVisitor, signUpAccount } from "../testing";

let rt: Runtime;
beforeAll(async () => {
  rt = await createTestRuntime();
});
afterAll(async () => {
  await rt.database.close();
});

it("creates, lists, opens, updates and deletes a company with its customers", async () => {
  const { admin, account } = await signUpAccount(rt);
  const name = `Globex ${randomUUID().slice(0, 8)}`;
  const company = await admin.companies.create({ name, website: "globex.example" });
  expect(company).toMatchObject({ name, website: "https://globex.example" });

  const visitor = await newVisitor(rt, account.id);
  const { conversationId } = await visitor.widget.widget.sendMessage({
    body: "hello",
    clientMessageId: randomUUID(),
  });
  await admin.customers.setCompany({ customerId: visitor.customerId, companyId: company.id });
  expect((await admin.customers.get({ id: visitor.customerId })).company).toEqual({
    id: company.id,
    name,
  });

  const listed = await admin.companies.list({ query: name.slice(0, 10) });
  expect(listed.items).toEqual([expect.objectContaining({ id: company.id, customerCount: 1 })]);
  expect((await admin.companies.list({ query: "no such company" })).items).toEqual([]);

  const opened = await admin.companies.get({ id: company.id });
  expect(opened.customers.map((c) => c.id)).toEqual([visitor.customerId]);
  expect(opened.conversations.map((c) => c.id)).toEqual([conversationId]);

  const renamed = await admin.companies.update({ id: company.id, name: "Globex Corp" });
  expect(renamed.name).toBe("Globex Corp");

  await admin.companies.delete({ id: company.id });
  await expect(admin.companies.get({ id: company.id })).rejects.toMatchObject({
    code: "NOT_FOUND",
  });
  const customer = await admin.customers.get({ id: visitor.customerId });
  expect(customer).toMatchObject({ companyId: null, company: null });
});

it("pages the list with a cursor", async () => {
  const { admin } = await signUpAccount(rt);
  for (const n of [1, 2, 3]) await admin.companies.create({ name: `Company ${n}` });
  const first = await admin.companies.list({ limit: 2 });
  expect(first.items).toHaveLength(2);
  const second = await admin.companies.list({ limit: 2, cursor: first.nextCursor ?? undefined });
  expect(second.nextCursor).toBeNull();
  // Newest first; rows created in the same millisecond are ordered by id, so compare as a set.
  const names = [...first.items, ...second.items].map((c) => c.name);
  expect(names.sort()).toEqual(["Company 1", "Company 2", "Company 3"]);
});

it("keeps each account's companies to itself", async () => {
  const a = await signUpAccount(rt);
  const b = await signUpAccount(rt);
  const company = await a.admin.companies.create({ name: "Initech" });
  const bVisitor = await newVisitor(rt, b.account.id);
  for (const attempt of [
    () => b.admin.companies.get({ id: company.id }),
    () => b.admin.companies.update({ id: company.id, name: "mine" }),
    () => b.admin.companies.delete({ id: company.id }),
    () => b.admin.customers.setCompany({ customerId: bVisitor.customerId, companyId: company.id }),
  ]) {
    await expect(attempt()).rejects.toMatchObject({ code: "NOT_FOUND" });
  }
  expect((await b.admin.companies.list({})).items).toEqual([]);
  expect(await a.admin.companies.get({ id: company.id })).toMatchObject({ name: "Initech" });
});
