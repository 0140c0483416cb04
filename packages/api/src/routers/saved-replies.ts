import {
  createSavedReply,
  deleteSavedReply,
  listSavedReplies,
  updateSavedReply,
} from "@netia/core";
import { z } from "zod";
import { ok, withSomeChange, ZBody, ZId, ZOk, ZText } from "../schemas";
import { agentProcedure, router } from "../trpc";

/** What follows "/" in the composer: one word. */
const ZShortcut = ZText.trim()
  .min(1)
  .max(50)
  .regex(/^[\w-]+$/, "must be one word (letters, digits, - and _)");

const ZSavedReply = z.object({ id: z.string(), shortcut: z.string(), body: z.string() });

export const savedRepliesRouter = router({
  list: agentProcedure
    .output(z.array(ZSavedReply))
    .query(({ ctx }) => listSavedReplies(ctx.db, { accountId: ctx.agent.accountId })),

  create: agentProcedure
    .input(z.object({ shortcut: ZShortcut, body: ZBody }))
    .output(ZSavedReply)
    .mutation(({ ctx, input }) =>
      createSavedReply(ctx.db, {
        accountId: ctx.agent.accountId,
        createdById: ctx.agent.userId,
        ...input,
      }),
    ),

  update: agentProcedure
    .input(
      withSomeChange(
        z.object({ id: ZId, shortcut: ZShortcut.optional(), body: ZBody.optional() }),
        "id",
      ),
    )
    .output(ZSavedReply)
    .mutation(({ ctx, input }) =>
      updateSavedReply(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),

  delete: agentProcedure
    .input(z.object({ id: ZId }))
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await deleteSavedReply(ctx.db, { accountId: ctx.agent.accountId, ...input });
      return ok;
    }),
});
