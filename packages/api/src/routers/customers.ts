import {
  getCustomer,
  listCustomers,
  mergeCustomers,
  setCustomerCompany,
  tagCustomer,
  untagCustomer,
  updateCustomer,
} from "@netia/core";
import { z } from "zod";
import { restRoutes } from "../rest-routes";
import {
  isoDate,
  ok,
  withSomeChange,
  ZCursor,
  ZCustomer,
  ZEmail,
  ZId,
  ZLimit,
  ZMetadata,
  ZName,
  ZOk,
  ZTag,
  ZText,
} from "../schemas";
import { apiKeyProcedure, router } from "../trpc";

export const ZListCustomersInput = z.object({
  query: ZText.trim().max(200).optional(),
  cursor: ZCursor.optional(),
  limit: ZLimit,
});

export const ZUpdateCustomerInput = withSomeChange(
  z.object({
    id: ZId,
    name: ZName.nullable().optional(),
    email: ZEmail.nullable().optional(),
    phone: ZText.trim().max(40).nullable().optional(),
    metadata: ZMetadata.optional(),
  }),
  "id",
);

const ZCustomerTagInput = z.object({ customerId: ZId, tagId: ZId });

const route = restRoutes("Customers");

export const customersRouter = router({
  list: apiKeyProcedure("read")
    .meta(
      route("GET", "/v1/customers", "List or search customers", {
        description:
          "query matches name, email or external id; pass nextCursor as cursor for the next page.",
      }),
    )
    .input(ZListCustomersInput)
    .output(z.object({ items: z.array(ZCustomer), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listCustomers(ctx.db, { accountId: ctx.agent.accountId, ...input })),

  get: apiKeyProcedure("read")
    .meta(
      route(
        "GET",
        "/v1/customers/{id}",
        "Get a customer with their company, tags and conversations",
      ),
    )
    .input(z.object({ id: ZId }))
    .output(
      ZCustomer.extend({
        company: z.object({ id: z.string(), name: z.string() }).nullable(),
        tags: z.array(ZTag),
        conversations: z.array(
          z.object({
            id: z.string(),
            status: z.enum(["open", "closed", "snoozed"]),
            subject: z.string().nullable(),
            lastActivityAt: isoDate,
          }),
        ),
      }),
    )
    .query(({ ctx, input }) => getCustomer(ctx.db, { accountId: ctx.agent.accountId, ...input })),

  update: apiKeyProcedure("write")
    .meta(
      route("PATCH", "/v1/customers/{id}", "Update a customer's name, email, phone or metadata"),
    )
    .input(ZUpdateCustomerInput)
    .output(ZCustomer)
    .mutation(({ ctx, input }) =>
      updateCustomer(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),

  setCompany: apiKeyProcedure("write")
    .meta(
      route("PUT", "/v1/customers/{customerId}/company", "Set or clear a customer's company", {
        description: "companyId null takes the customer out of their company.",
      }),
    )
    .input(z.object({ customerId: ZId, companyId: ZId.nullable() }))
    .output(ZCustomer)
    .mutation(({ ctx, input }) =>
      setCustomerCompany(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),

  /** Two records of one person become one: `keepId` stays, `removeId` is folded into it. */
  merge: apiKeyProcedure("admin")
    .meta(
      route("POST", "/v1/customers/{keepId}/merge", "Merge another customer into this one", {
        description:
          "removeId's conversations, notes and tags move to keepId, then removeId is deleted. Needs the admin scope.",
      }),
    )
    .input(z.object({ keepId: ZId, removeId: ZId }))
    .output(ZCustomer)
    .mutation(({ ctx, input }) =>
      mergeCustomers(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),

  addTag: apiKeyProcedure("write")
    .meta(route("POST", "/v1/customers/{customerId}/tags", "Tag a customer"))
    .input(ZCustomerTagInput)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await tagCustomer(ctx.db, { accountId: ctx.agent.accountId, ...input });
      return ok;
    }),

  removeTag: apiKeyProcedure("write")
    .meta(route("DELETE", "/v1/customers/{customerId}/tags/{tagId}", "Untag a customer"))
    .input(ZCustomerTagInput)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await untagCustomer(ctx.db, { accountId: ctx.agent.accountId, ...input });
      return ok;
    }),
});
