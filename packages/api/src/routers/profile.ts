import { changePassword, getProfile, updateProfile } from "@netia/core";
import { z } from "zod";
import { withSomeChange, ZName, ZPassword, ZText, ZUrl } from "../schemas";
import { agentProcedure, router } from "../trpc";

const ZProfile = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  avatarUrl: z.string().nullable(),
});

/** Every signed-in user's own profile: nobody edits another's here. */
export const profileRouter = router({
  get: agentProcedure
    .output(ZProfile)
    .query(({ ctx }) => getProfile(ctx.db, { userId: ctx.agent.userId })),

  update: agentProcedure
    .input(
      withSomeChange(
        z.object({
          name: ZName.optional(),
          /** An image URL; null removes the avatar. */
          avatarUrl: ZUrl.max(2000).nullable().optional(),
        }),
      ),
    )
    .output(ZProfile)
    .mutation(({ ctx, input }) => updateProfile(ctx.db, { userId: ctx.agent.userId, ...input })),

  /** Checks the current password, sets the new one and logs out every other session. */
  changePassword: agentProcedure
    .input(z.object({ currentPassword: ZText.min(1).max(128), newPassword: ZPassword }))
    .output(z.object({ otherSessionsEnded: z.number().int() }))
    .mutation(async ({ ctx, input }) => ({
      otherSessionsEnded: await changePassword(
        { db: ctx.db, bus: ctx.rt.bus, logger: ctx.rt.logger, auth: ctx.rt.auth },
        {
          userId: ctx.agent.userId,
          sessionId: ctx.agent.sessionId,
          headers: ctx.headers,
          ...input,
        },
      ),
    })),
});
