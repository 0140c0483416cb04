// API keys of the account: anyone creates keys acting as themself; agents see
// and revoke their own, admins every key of the account.
import { API_KEY_SCOPES, createApiKey, listApiKeys, revokeApiKey } from "@netia/core";
import { z } from "zod";
import { isoDate, nullableIsoDate, ok, ZDateTime, ZId, ZName, ZOk } from "../schemas";
import { agentProcedure, router } from "../trpc";

const ZScopes = z
  .array(z.enum(API_KEY_SCOPES))
  .min(1, "pick at least one scope")
  .max(API_KEY_SCOPES.length)
  .refine((s) => new Set(s).size === s.length, "names a scope twice");

const ZApiKey = z.object({
  id: z.string(),
  userId: z.string(),
  ownerName: z.string(),
  label: z.string(),
  prefix: z.string(),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  expiresAt: nullableIsoDate,
  lastUsedAt: nullableIsoDate,
  revokedAt: nullableIsoDate,
  createdAt: isoDate,
});

export const apiKeysRouter = router({
  list: agentProcedure.output(z.array(ZApiKey)).query(({ ctx }) =>
    listApiKeys(ctx.db, {
      accountId: ctx.agent.accountId,
      userId: ctx.agent.role === "admin" ? undefined : ctx.agent.userId,
    }),
  ),

  /** The answer's `secret` is the only time the key can be read. */
  create: agentProcedure
    .input(z.object({ label: ZName, scopes: ZScopes, expiresAt: ZDateTime.nullable().optional() }))
    .output(z.object({ key: ZApiKey, secret: z.string() }))
    .mutation(({ ctx, input }) =>
      createApiKey(ctx.db, {
        accountId: ctx.agent.accountId,
        userId: ctx.agent.userId,
        role: ctx.agent.role,
        ...input,
      }),
    ),

  revoke: agentProcedure
    .input(z.object({ id: ZId }))
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await revokeApiKey(ctx.rt, {
        accountId: ctx.agent.accountId,
        userId: ctx.agent.userId,
        asAdmin: ctx.agent.role === "admin",
        id: input.id,
      });
      return ok;
    }),
});
