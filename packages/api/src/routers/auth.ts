import {
  acceptInvitation,
  getAccount,
  getAgentSession,
  getInvitationByToken,
  logIn,
  logOut,
  protectLogIn,
  requestPasswordReset,
  resetPassword,
  revokeOtherSessions,
  signUp,
  signUpOpen,
} from "@netia/core";
import { z } from "zod";
import { ok, ZEmail, ZName, ZOk, ZPassword, ZRole, ZText, ZUser } from "../schemas";
import { agentProcedure, type Context, cookieProcedure, publicProcedure, router } from "../trpc";

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
    /** Whether this server bills accounts (PAPERCUPS_STRIPE_SECRET): the dashboard shows billing only then. */
    billing: z.boolean(),
  })
  .nullable();

export const ZAcceptInvitationInput = z.object({ token: ZToken, name: ZName, password: ZPassword });

const ip = (ctx: Context) => ctx.ip ?? "unknown";
const deps = (ctx: Context) => ({
  db: ctx.db,
  auth: ctx.rt.auth,
  bus: ctx.rt.bus,
  logger: ctx.rt.logger,
});

export const authRouter = router({
  signUp: cookieProcedure
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

  logIn: cookieProcedure
    .input(ZLogInInput)
    .output(ZLogInOutput)
    .mutation(async ({ ctx, input }) => {
      return protectLogIn(ctx.rt.limits, { email: input.email, ip: ctx.ip }, () =>
        logIn(deps(ctx), input, ctx.headers, ctx.resHeaders),
      );
    }),

  logOut: cookieProcedure.output(ZOk).mutation(async ({ ctx }) => {
    await logOut(deps(ctx), ctx.headers, ctx.resHeaders);
    return ok;
  }),

  /** Ends every other session of the caller (a lost laptop): their open sockets close too. */
  logOutOtherSessions: agentProcedure
    .output(z.object({ revoked: z.number().int() }))
    .mutation(async ({ ctx }) => ({
      revoked: await revokeOtherSessions(ctx.rt, {
        userId: ctx.agent.userId,
        keepSessionId: ctx.agent.sessionId,
      }),
    })),

  me: publicProcedure.output(ZMeOutput).query(async ({ ctx }) => {
    const agent = await getAgentSession(ctx.db, ctx.rt.auth, ctx.headers);
    if (!agent) return null;
    const account = await getAccount(ctx.db, { accountId: agent.accountId });
    return {
      user: { id: agent.userId, name: agent.name, email: agent.email },
      account: { id: account.id, companyName: account.companyName },
      role: agent.role,
      billing: ctx.rt.config.stripe !== null,
    };
  }),

  requestPasswordReset: cookieProcedure
    .input(z.object({ email: ZEmail }))
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await ctx.rt.limits.consume("resetPerEmail", input.email);
      await requestPasswordReset(deps(ctx), input);
      return ok;
    }),

  resetPassword: cookieProcedure
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

  acceptInvitation: cookieProcedure
    .input(ZAcceptInvitationInput)
    .output(ZLogInOutput)
    .mutation(async ({ ctx, input }) => {
      await ctx.rt.limits.consume("signUpPerIp", ip(ctx));
      return acceptInvitation(deps(ctx), input, ctx.headers, ctx.resHeaders);
    }),
});
