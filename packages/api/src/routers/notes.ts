import { createCustomerNote, deleteCustomerNote, listCustomerNotes } from "@netia/core";
import { z } from "zod";
import { restRoutes } from "../rest-routes";
import { isoDate, ok, ZBody, ZId, ZOk } from "../schemas";
import { apiKeyProcedure, router } from "../trpc";

const ZNote = z.object({
  id: z.string(),
  customerId: z.string(),
  authorId: z.string().nullable(),
  body: z.string(),
  createdAt: isoDate,
});

const route = restRoutes("Customer notes");

export const notesRouter = router({
  list: apiKeyProcedure("read")
    .meta(route("GET", "/v1/customers/{customerId}/notes", "List notes about a customer"))
    .input(z.object({ customerId: ZId }))
    .output(z.array(ZNote))
    .query(({ ctx, input }) =>
      listCustomerNotes(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),

  create: apiKeyProcedure("write")
    .meta(route("POST", "/v1/customers/{customerId}/notes", "Add a note about a customer"))
    .input(z.object({ customerId: ZId, body: ZBody }))
    .output(ZNote)
    .mutation(({ ctx, input }) =>
      createCustomerNote(ctx.db, {
        accountId: ctx.agent.accountId,
        authorId: ctx.agent.userId,
        ...input,
      }),
    ),

  delete: apiKeyProcedure("write")
    .meta(route("DELETE", "/v1/customer-notes/{id}", "Delete a note about a customer"))
    .input(z.object({ id: ZId }))
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await deleteCustomerNote(ctx.db, { accountId: ctx.agent.accountId, ...input });
      return ok;
    }),
});
