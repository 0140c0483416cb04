// Shared Slack support channels (admins only, docs/slack-inbound.md): the
// ones tied to a company and inbox, connecting and disconnecting one. The
// channels to choose from are `slack.channels`.
import {
  connectionOfAccount,
  connectSupportChannel,
  disconnectSupportChannel,
  listSupportChannels,
} from "@netia/slack";
import { z } from "zod";
import { isoDate, ok, ZId, ZOk, ZText } from "../schemas";
import { adminProcedure, router } from "../trpc";

const ZSupportChannel = z.object({
  id: z.string(),
  channelId: z.string(),
  channelName: z.string(),
  companyId: z.string(),
  companyName: z.string(),
  inboxId: z.string(),
  inboxName: z.string(),
  createdAt: isoDate,
});

/** Slack's channel ids: C…, G… (private), D… are not channels. */
const ZSlackChannelId = ZText.regex(/^[CG][A-Z0-9]{2,30}$/, "must be a Slack channel id");

export const slackSupportRouter = router({
  list: adminProcedure
    .output(
      z.object({
        /** This server has a Slack app (SLACK_CLIENT_ID…). */
        configured: z.boolean(),
        /** The account installed it, and Slack still takes its token. */
        connected: z.boolean(),
        teamName: z.string().nullable(),
        channels: z.array(ZSupportChannel),
      }),
    )
    .query(async ({ ctx }) => {
      const connection = await connectionOfAccount(ctx.db, ctx.agent.accountId);
      return {
        configured: ctx.rt.config.slack !== null,
        connected: connection?.status === "active",
        teamName: connection?.teamName ?? null,
        channels: await listSupportChannels(ctx.db, ctx.agent.accountId),
      };
    }),

  connect: adminProcedure
    .input(z.object({ channelId: ZSlackChannelId, companyId: ZId, inboxId: ZId }))
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) =>
      connectSupportChannel(
        { db: ctx.db, config: ctx.rt.config },
        { accountId: ctx.agent.accountId, ...input },
      ),
    ),

  disconnect: adminProcedure
    .input(z.object({ id: ZId }))
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await disconnectSupportChannel(ctx.db, { accountId: ctx.agent.accountId, id: input.id });
      return ok;
    }),
});
