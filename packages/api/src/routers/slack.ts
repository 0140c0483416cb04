// Settings → Slack (admins only): the workspace's connection, the channel new
// conversations go to, threads or alerts, the note prefix, disconnecting, and
// the threads whose last post failed (sent again on request). Installing goes
// through the install and callback routes (../slack-install.ts).
import { enqueueSlackSync } from "@netia/core";
import {
  assertSlackThread,
  chooseSlackChannel,
  disconnectSlack,
  failedSlackPosts,
  listSlackChannels,
  slackConnectionView,
  updateSlackSettings,
} from "@netia/slack";
import { z } from "zod";
import { ok, ZId, ZOk, ZText } from "../schemas";
import { adminProcedure, router } from "../trpc";

const ZConnection = z.object({
  teamName: z.string(),
  teamId: z.string(),
  channelId: z.string().nullable(),
  channelName: z.string().nullable(),
  mode: z.enum(["threads", "alerts"]),
  notePrefix: z.string(),
  status: z.enum(["active", "reconnect_required"]),
  lastError: z.string().nullable(),
});

/** Slack's channel ids: C…, G… (private, older) or D…; letters and digits. */
const ZChannelId = ZText.regex(/^[CGD][A-Z0-9]{2,20}$/, "must be a Slack channel id");

export const slackRouter = router({
  status: adminProcedure
    .output(
      z.object({
        /** Whether this server has a Slack app (SLACK_CLIENT_ID and friends). */
        configured: z.boolean(),
        connection: ZConnection.nullable(),
      }),
    )
    .query(async ({ ctx }) => ({
      configured: ctx.rt.config.slack !== null,
      connection: await slackConnectionView(ctx.db, ctx.agent.accountId),
    })),

  channels: adminProcedure
    .output(
      z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          isPrivate: z.boolean(),
          isMember: z.boolean(),
        }),
      ),
    )
    .query(({ ctx }) =>
      listSlackChannels({ db: ctx.db, config: ctx.rt.config }, ctx.agent.accountId),
    ),

  chooseChannel: adminProcedure
    .input(z.object({ channelId: ZChannelId }))
    .output(ZConnection)
    .mutation(({ ctx, input }) =>
      chooseSlackChannel(
        { db: ctx.db, config: ctx.rt.config },
        { accountId: ctx.agent.accountId, channelId: input.channelId },
      ),
    ),

  update: adminProcedure
    .input(
      z.object({
        mode: z.enum(["threads", "alerts"]).optional(),
        /** A thread reply starting with this is a private note. */
        notePrefix: ZText.trim()
          .min(1, "must not be empty")
          .max(10)
          .regex(/^\S+$/, "must have no spaces")
          .optional(),
      }),
    )
    .output(ZConnection)
    .mutation(({ ctx, input }) =>
      updateSlackSettings(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),

  disconnect: adminProcedure.output(ZOk).mutation(async ({ ctx }) => {
    await disconnectSlack(
      { db: ctx.db, config: ctx.rt.config, logger: ctx.rt.logger },
      ctx.agent.accountId,
    );
    return ok;
  }),

  failedPosts: adminProcedure
    .output(
      z.array(
        z.object({
          conversationId: z.string(),
          customer: z.string(),
          channelId: z.string(),
          lastError: z.string(),
          failedAt: z.date(),
        }),
      ),
    )
    .query(({ ctx }) => failedSlackPosts(ctx.db, ctx.agent.accountId)),

  /** Sends a failed thread again (after the channel or the app was fixed in Slack). */
  retryThread: adminProcedure
    .input(z.object({ conversationId: ZId }))
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      const accountId = ctx.agent.accountId;
      await assertSlackThread(ctx.db, accountId, input.conversationId);
      await enqueueSlackSync(ctx.rt.jobs, ctx.db, { accountId, ...input });
      return ok;
    }),
});
