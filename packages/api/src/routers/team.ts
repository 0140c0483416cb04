import {
  invitationUrl,
  inviteMember,
  listInvitations,
  listMembers,
  renewInvitation,
  revokeInvitation,
  setMemberDisabled,
  updateMemberRole,
} from "@netia/core";
import type { Runtime } from "@netia/runtime";
import { z } from "zod";
import { restRoutes } from "../rest-routes";
import { isoDate, nullableIsoDate, ok, ZEmail, ZId, ZOk, ZRole, ZUserId } from "../schemas";
import { adminProcedure, apiKeyProcedure, router } from "../trpc";

const ZMember = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role: ZRole,
  disabledAt: nullableIsoDate,
  createdAt: isoDate,
});

const ZInvitation = z.object({
  id: z.string(),
  email: z.string(),
  role: ZRole,
  expiresAt: isoDate,
  createdAt: isoDate,
});

/** The invitation and its link (also emailed to the invitee), for the admin to share. */
const ZInvitationLink = z.object({ invitation: ZInvitation, url: z.string() });

const invitationDeps = (rt: Runtime) => ({
  db: rt.db,
  jobs: rt.jobs,
  from: rt.config.email.from,
  appUrl: rt.config.appUrl,
  config: rt.config,
});

export const ZInviteMemberInput = z.object({ email: ZEmail, role: ZRole.default("agent") });

const route = restRoutes("Team");

export const teamRouter = router({
  list: apiKeyProcedure("read")
    .meta(route("GET", "/v1/team/members", "List the team's members"))
    .output(z.array(ZMember))
    .query(({ ctx }) => listMembers(ctx.db, { accountId: ctx.agent.accountId })),

  invite: adminProcedure
    .meta({
      apiKey: "admin",
      ...route("POST", "/v1/team/invitations", "Invite a member (admin scope)"),
    })
    .input(ZInviteMemberInput)
    .output(ZInvitationLink)
    .mutation(async ({ ctx, input }) => {
      const { invitation, token } = await inviteMember(invitationDeps(ctx.rt), {
        accountId: ctx.agent.accountId,
        invitedById: ctx.agent.userId,
        ...input,
      });
      return { invitation, url: invitationUrl(ctx.rt.config.appUrl, token) };
    }),

  listInvitations: adminProcedure
    .meta({
      apiKey: "admin",
      ...route("GET", "/v1/team/invitations", "List pending invitations (admin scope)"),
    })
    .output(z.array(ZInvitation))
    .query(({ ctx }) => listInvitations(ctx.db, { accountId: ctx.agent.accountId })),

  /** "Resend": a new link for a pending invitation; the old one stops working. */
  resendInvitation: adminProcedure
    .input(z.object({ id: ZId }))
    .output(ZInvitationLink)
    .mutation(async ({ ctx, input }) => {
      const { invitation, token } = await renewInvitation(invitationDeps(ctx.rt), {
        accountId: ctx.agent.accountId,
        id: input.id,
      });
      return { invitation, url: invitationUrl(ctx.rt.config.appUrl, token) };
    }),

  revokeInvitation: adminProcedure
    .input(z.object({ id: ZId }))
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await revokeInvitation(ctx.db, { accountId: ctx.agent.accountId, id: input.id });
      return ok;
    }),

  updateRole: adminProcedure
    .input(z.object({ userId: ZUserId, role: ZRole }))
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await updateMemberRole(ctx.rt, { accountId: ctx.agent.accountId, ...input });
      return ok;
    }),

  setDisabled: adminProcedure
    .input(z.object({ userId: ZUserId, disabled: z.boolean() }))
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await setMemberDisabled(ctx.rt, {
        accountId: ctx.agent.accountId,
        actorId: ctx.agent.userId,
        ...input,
      });
      return ok;
    }),
});
