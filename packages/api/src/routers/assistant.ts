// The AI assistant as admins set it up: whether it can run on this server, the
// business context it answers from, and the switches (account and per inbox).
import {
  getAssistantSettings,
  setInboxAssistant,
  updateAssistantSettings,
  ZAssistantSettings,
  ZAssistantSettingsUpdate,
} from "@netia/core";
import { z } from "zod";
import { ZId } from "../schemas";
import { adminProcedure, agentProcedure, router } from "../trpc";

export const assistantRouter = router({
  /** Whether the server can run the assistant at all, and why not. */
  status: agentProcedure
    .output(z.object({ available: z.boolean(), reason: z.string().nullable(), model: z.string() }))
    .query(({ ctx }) => ({
      available: ctx.rt.ai !== null,
      reason: ctx.rt.ai
        ? null
        : "OPENAI_API_KEY is not set on the server: the AI assistant is off until an operator sets it.",
      model: ctx.rt.config.llm.model,
    })),

  getSettings: agentProcedure
    .output(ZAssistantSettings)
    .query(({ ctx }) => getAssistantSettings(ctx.db, ctx.agent.accountId)),

  updateSettings: adminProcedure
    .input(ZAssistantSettingsUpdate)
    .output(ZAssistantSettings)
    .mutation(({ ctx, input }) => updateAssistantSettings(ctx.db, ctx.agent.accountId, input)),

  /** Turns the assistant on or off in one inbox (it also needs the account's switch). */
  setInboxEnabled: adminProcedure
    .input(z.object({ inboxId: ZId, enabled: z.boolean() }))
    .output(z.object({ inboxId: z.string(), assistantEnabled: z.boolean() }))
    .mutation(({ ctx, input }) =>
      setInboxAssistant(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),
});
