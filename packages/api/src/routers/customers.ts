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

export const customersRouter = router({
  list: apiKeyProcedure("read")
    .input(ZListCustomersInput)
    .output(z.object({ items: z.array(ZCustomer), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listCustomers(ctx.db, { accountId: ctx.agent.accountId, ...input })),

  get: apiKeyProcedure("read")
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
    .input(ZUpdateCustomerInput)
    .output(ZCustomer)
    .mutation(({ ctx, input }) =>
      updateCustomer(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),

  setCompany: apiKeyProcedure("write")
    .input(z.object({ customerId: ZId, companyId: ZId.nullable() }))
    .output(ZCustomer)
    .mutation(({ ctx, input }) =>
      setCustomerCompany(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),

  /** Two records of one person become one: `keepId` stays, `removeId` is folded into it. */
  merge: apiKeyProcedure("admin")
    .input(z.object({ keepId: ZId, removeId: ZId }))
    .output(ZCustomer)
    .mutation(({ ctx, input }) =>
      mergeCustomers(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),

  addTag: apiKeyProcedure("write")
    .input(ZCustomerTagInput)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await tagCustomer(ctx.db, { accountId: ctx.agent.accountId, ...input });
      return ok;
    }),

  removeTag: apiKeyProcedure("write")
    .input(ZCustomerTagInput)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await untagCustomer(ctx.db, { accountId: ctx.agent.accountId, ...input });
      return ok;
    }),
});
