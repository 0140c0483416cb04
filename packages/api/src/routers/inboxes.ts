import {
  addInbox,
  getInbox,
  getWidgetSettings,
  inboxAddress,
  listInboxes,
  rotateIdentitySecret,
  updateInbox,
  updateWidgetSettings,
  ZWidgetSettings,
  ZWidgetSettingsPatch,
} from "@netia/core";
import { z } from "zod";
import { restRoutes } from "../rest-routes";
import { isoDate, withSomeChange, ZId, ZName } from "../schemas";
import { adminProcedure, agentProcedure, apiKeyProcedure, router } from "../trpc";

export const ZInbox = z.object({
  id: z.string(),
  name: z.string(),
  isDefault: z.boolean(),
  requireIdentityVerification: z.boolean(),
  createdAt: isoDate,
});

/** Only admins see the identity secret, which signs customers' identities. */
const ZInboxWithSecret = ZInbox.extend({ identitySecret: z.string() });

export const inboxesRouter = router({
  list: apiKeyProcedure("read")
    .meta(restRoutes("Inboxes")("GET", "/v1/inboxes", "List the inboxes"))
    .output(
      z.array(
        /** Mail to this address starts email conversations; null without INBOUND_EMAIL_DOMAIN. */
        ZInbox.extend({ emailAddress: z.string().nullable() }),
      ),
    )
    .query(async ({ ctx }) => {
      const settings = {
        secretKeyBase: ctx.rt.config.secretKeyBase,
        inboundDomain: ctx.rt.config.email.inboundDomain,
      };
      const inboxes = await listInboxes(ctx.db, { accountId: ctx.agent.accountId });
      return inboxes.map((inbox) => ({ ...inbox, emailAddress: inboxAddress(settings, inbox.id) }));
    }),

  get: adminProcedure
    .input(z.object({ id: ZId }))
    .output(ZInboxWithSecret)
    .query(({ ctx, input }) => getInbox(ctx.db, { accountId: ctx.agent.accountId, ...input })),

  create: adminProcedure
    .input(z.object({ name: ZName }))
    .output(ZInbox)
    .mutation(({ ctx, input }) =>
      addInbox(
        { db: ctx.db, config: ctx.rt.config },
        { accountId: ctx.agent.accountId, name: input.name },
      ),
    ),

  update: adminProcedure
    .input(
      withSomeChange(
        z.object({
          id: ZId,
          name: ZName.optional(),
          requireIdentityVerification: z.boolean().optional(),
        }),
        "id",
      ),
    )
    .output(ZInbox)
    .mutation(({ ctx, input }) =>
      updateInbox(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),

  rotateIdentitySecret: adminProcedure
    .input(z.object({ id: ZId }))
    .output(ZInboxWithSecret)
    .mutation(({ ctx, input }) =>
      rotateIdentitySecret(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),

  getWidgetSettings: agentProcedure
    .input(z.object({ inboxId: ZId }))
    .output(ZWidgetSettings)
    .query(({ ctx, input }) =>
      getWidgetSettings(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),

  updateWidgetSettings: adminProcedure
    .input(z.object({ inboxId: ZId, settings: ZWidgetSettingsPatch }))
    .output(ZWidgetSettings)
    .mutation(({ ctx, input }) =>
      updateWidgetSettings(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),
});
