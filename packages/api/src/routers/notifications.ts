import { getNotificationPreferences, updateNotificationPreferences } from "@netia/core";
import { z } from "zod";
import { withSomeChange } from "../schemas";
import { agentProcedure, router } from "../trpc";

const ZPreferences = z.object({
  newConversation: z.boolean(),
  assignedMessage: z.boolean(),
  mention: z.boolean(),
  sound: z.boolean(),
  desktop: z.boolean(),
  emailNewConversation: z.boolean(),
  emailAssignedMessage: z.boolean(),
  emailMention: z.boolean(),
  emailHandoff: z.boolean(),
  /** Alert emails go out shortly after they happen (a burst makes one email), or once an hour. */
  emailDelivery: z.enum(["immediate", "hourly"]),
});

/** Each agent's own notification preferences; nobody reads or sets another's. */
export const notificationsRouter = router({
  preferences: agentProcedure.output(ZPreferences).query(({ ctx }) =>
    getNotificationPreferences(ctx.db, {
      accountId: ctx.agent.accountId,
      userId: ctx.agent.userId,
    }),
  ),

  updatePreferences: agentProcedure
    .input(withSomeChange(ZPreferences.partial().strict()))
    .output(ZPreferences)
    .mutation(({ ctx, input }) =>
      updateNotificationPreferences(
        ctx.db,
        { accountId: ctx.agent.accountId, userId: ctx.agent.userId },
        input,
      ),
    ),
});
