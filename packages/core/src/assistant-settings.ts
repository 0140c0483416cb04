// What the AI assistant knows about the business and when it answers: one row
// per account (none: never set up, so off), plus a switch on each inbox. The
// assistant answers in an inbox only when the account's switch, the inbox's
// switch and the provider key (OPENAI_API_KEY) are all on.
import { type Db, type HandoffRules, schema } from "@netia/db";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { forgetAssistantSwitches } from "./assistant-trigger";
import { notFound } from "./errors";
import { ZText, ZUrl } from "./input";

const { assistantSettings, inboxes } = schema;

const optionalText = (max: number) => ZText.trim().max(max).nullable();

export const ZHandoffRules = z.object({
  keywords: z.array(ZText.trim().min(1).max(100)).max(50),
  afterBotReplies: z.number().int().min(1).max(50).nullable(),
  outsideHoursCollectEmail: z.boolean(),
}) satisfies z.ZodType<HandoffRules>;

export const ZAssistantSettings = z.object({
  enabled: z.boolean(),
  botName: ZText.trim().min(1).max(60),
  businessName: optionalText(200),
  description: optionalText(4000),
  services: optionalText(4000),
  faqs: z
    .array(
      z.object({
        question: ZText.trim().min(1).max(500),
        answer: ZText.trim().min(1).max(4000),
      }),
    )
    .max(100),
  schedulingUrl: ZUrl.max(2000).nullable(),
  instructions: optionalText(4000),
  /** Overrides LLM_MODEL for this account; null: the server's model. */
  model: ZText.trim().min(1).max(100).nullable(),
  /** Overrides LLM_TEMPERATURE for this account; null: the server's. */
  temperature: z.number().min(0).max(2).nullable(),
  handoffRules: ZHandoffRules,
});

export type AssistantSettings = z.infer<typeof ZAssistantSettings>;

/** An update names only what changes. */
export const ZAssistantSettingsUpdate = ZAssistantSettings.partial();

export const DEFAULT_ASSISTANT_SETTINGS: AssistantSettings = {
  enabled: false,
  botName: "Assistant",
  businessName: null,
  description: null,
  services: null,
  faqs: [],
  schedulingUrl: null,
  instructions: null,
  model: null,
  temperature: null,
  handoffRules: { keywords: [], afterBotReplies: null, outsideHoursCollectEmail: false },
};

function toSettings(row: typeof assistantSettings.$inferSelect | undefined): AssistantSettings {
  if (!row) return DEFAULT_ASSISTANT_SETTINGS;
  const { id: _id, accountId: _a, createdAt: _c, updatedAt: _u, ...settings } = row;
  return settings;
}

export async function getAssistantSettings(db: Db, accountId: string): Promise<AssistantSettings> {
  const [row] = await db
    .select()
    .from(assistantSettings)
    .where(eq(assistantSettings.accountId, accountId))
    .limit(1);
  return toSettings(row);
}

export async function updateAssistantSettings(
  db: Db,
  accountId: string,
  update: z.infer<typeof ZAssistantSettingsUpdate>,
): Promise<AssistantSettings> {
  const values = ZAssistantSettingsUpdate.parse(update);
  const [row] = await db
    .insert(assistantSettings)
    .values({ ...DEFAULT_ASSISTANT_SETTINGS, ...values, accountId })
    .onConflictDoUpdate({ target: assistantSettings.accountId, set: values })
    .returning();
  forgetAssistantSwitches(accountId);
  return toSettings(row);
}

/** Turns the assistant on or off for one inbox of the account. */
export async function setInboxAssistant(
  db: Db,
  input: { accountId: string; inboxId: string; enabled: boolean },
): Promise<{ inboxId: string; assistantEnabled: boolean }> {
  const [row] = await db
    .update(inboxes)
    .set({ assistantEnabled: input.enabled })
    .where(and(eq(inboxes.accountId, input.accountId), eq(inboxes.id, input.inboxId)))
    .returning({ inboxId: inboxes.id, assistantEnabled: inboxes.assistantEnabled });
  if (!row) throw notFound("Inbox");
  forgetAssistantSwitches(input.accountId);
  return row;
}
