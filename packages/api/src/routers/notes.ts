import { createCustomerNote, deleteCustomerNote, listCustomerNotes } from "@netia/core";
import { z } from "zod";
import { isoDate, ok, ZBody, ZId, ZOk } from "../schemas";
import { apiKeyProcedure, router } from "../trpc";

const ZNote = z.object({
  id: z.string(),
  customerId: z.string(),
  authorId: z.string().nullable(),
  body: z.string(),
  createdAt: isoDate,
});

export const notesRouter = router({
  list: apiKeyProcedure("read")
    .input(z.object({ customerId: ZId }))
    .output(z.array(ZNote))
    .query(({ ctx, input }) =>
      listCustomerNotes(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),

  create: apiKeyProcedure("write")
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
    .input(z.object({ id: ZId }))
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await deleteCustomerNote(ctx.db, { accountId: ctx.agent.accountId, ...input });
      return ok;
    }),
});
