import {
  acceptInvitation,
  getAccount,
  getAgentSession,
  getInvitationByToken,
  logIn,
  logOut,
  requestPasswordReset,
  resetPassword,
  signUp,
  signUpOpen,
} from "@netia/core";
import { z } from "zod";
import { ok, ZEmail, ZName, ZOk, ZPassword, ZRole, ZText, ZUser } from "../schemas";
import { type Context, publicProcedure, router } from "../trpc";

const ZToken = ZText.min(1).max(200);

export const ZSignUpInput = z.object({
  name: ZName,
  email: ZEmail,
  password: ZPassword,
  companyName: ZText.trim().min(1).max(200),
});
export const ZSignUpOutput = z.object({
  user: ZUser,
  account: z.object({ id: z.string(), companyName: z.string() }),
});

export const ZLogInInput = z.object({ email: ZEmail, password: ZText.min(1).max(128) });
export const ZLogInOutput = z.object({ user: ZUser });

export const ZMeOutput = z
  .object({
    user: ZUser,
    account: z.object({ id: z.string(), companyName: z.string() }),
    role: ZRole,
  })
  .nullable();

export const ZAcceptInvitationInput = z.object({ token: ZToken, name: ZName, password: ZPassword });

const ip = (ctx: Context) => ctx.ip ?? "unknown";
const deps = (ctx: Context) => ({ db: ctx.db, auth: ctx.rt.auth });

export const authRouter = router({
  signUp: publicProcedure
    .input(ZSignUpInput)
    .output(ZSignUpOutput)
    .mutation(async ({ ctx, input }) => {
      await ctx.rt.limits.consume("signUpPerIp", ip(ctx));
      const registration = ctx.rt.config.registration;
      return signUp({ ...deps(ctx), registration }, input, ctx.headers, ctx.resHeaders);
    }),

  /** Whether the sign-up page may create an account now (NETIA_REGISTRATION). */
  signUpOpen: publicProcedure.output(z.object({ open: z.boolean() })).query(async ({ ctx }) => ({
    open: await signUpOpen(ctx.db, ctx.rt.config.registration),
  })),

  logIn: publicProcedure
    .input(ZLogInInput)
    .output(ZLogInOutput)
    .mutation(async ({ ctx, input }) => {
      await ctx.rt.limits.consume("loginPerIp", ip(ctx));
      await ctx.rt.limits.consume("loginPerEmail", input.email);
      return logIn(deps(ctx), input, ctx.headers, ctx.resHeaders);
    }),

  logOut: publicProcedure.output(ZOk).mutation(async ({ ctx }) => {
    await logOut(deps(ctx), ctx.headers, ctx.resHeaders);
    return ok;
  }),

  me: publicProcedure.output(ZMeOutput).query(async ({ ctx }) => {
    const agent = await getAgentSession(ctx.db, ctx.rt.auth, ctx.headers);
    if (!agent) return null;
    const account = await getAccount(ctx.db, { accountId: agent.accountId });
    return {
      user: { id: agent.userId, name: agent.name, email: agent.email },
      account: { id: account.id, companyName: account.companyName },
      role: agent.role,
    };
  }),

  requestPasswordReset: publicProcedure
    .input(z.object({ email: ZEmail }))
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await ctx.rt.limits.consume("resetPerEmail", input.email);
      await requestPasswordReset(deps(ctx), input);
      return ok;
    }),

  resetPassword: publicProcedure
    .input(z.object({ token: ZToken, newPassword: ZPassword }))
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await resetPassword(deps(ctx), input);
      return ok;
    }),

  getInvitation: publicProcedure
    .input(z.object({ token: ZToken }))
    .output(z.object({ email: z.string(), role: ZRole, companyName: z.string() }))
    .query(({ ctx, input }) => getInvitationByToken(ctx.db, input)),

  acceptInvitation: publicProcedure
    .input(ZAcceptInvitationInput)
    .output(ZLogInOutput)
    .mutation(async ({ ctx, input }) => {
      await ctx.rt.limits.consume("signUpPerIp", ip(ctx));
      return acceptInvitation(deps(ctx), input, ctx.headers, ctx.resHeaders);
    }),
});
