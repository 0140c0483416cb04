import { randomBytes } from "node:crypto";
import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { and, asc, eq } from "drizzle-orm";
import { assertWithinLimit, type BillingConfig } from "./billing/limits";
import { notFound } from "./errors";
import {
  defaultWidgetSettings,
  type WidgetSettings,
  type WidgetSettingsPatch,
  ZWidgetSettings,
} from "./widget-settings";

const { inboxes, widgetSettings } = schema;

export async function createInbox(
  db: Db,
  input: { accountId: string; name: string; isDefault?: boolean },
) {
  const [inbox] = await db
    .insert(inboxes)
    .values({
      accountId: input.accountId,
      name: input.name,
      isDefault: input.isDefault ?? false,
      identitySecret: randomBytes(32).toString("hex"),
    })
    .returning();
  if (!inbox) throw new Error("inbox insert returned nothing");
  await db
    .insert(widgetSettings)
    .values({ accountId: input.accountId, inboxId: inbox.id, settings: defaultWidgetSettings });
  return inbox;
}

/** An admin adds an inbox: one more of the plan's inboxes (the first comes with the account). */
export async function addInbox(
  deps: { db: Db; config: BillingConfig },
  input: { accountId: string; name: string },
) {
  return deps.db.transaction(async (tx) => {
    await assertWithinLimit(tx, deps.config, input.accountId, "inboxes");
    return createInbox(tx, input);
  });
}

export async function listInboxes(db: Db, { accountId }: { accountId: string }) {
  return db
    .select()
    .from(inboxes)
    .where(eq(inboxes.accountId, accountId))
    .orderBy(asc(inboxes.createdAt), asc(inboxes.id));
}

export async function getInbox(db: Db, { accountId, id }: { accountId: string; id: string }) {
  const [inbox] = await db
    .select()
    .from(inboxes)
    .where(and(eq(inboxes.accountId, accountId), eq(inboxes.id, id)))
    .limit(1);
  if (!inbox) throw notFound("Inbox");
  return inbox;
}

/** The inbox a widget talks to: the one named, else the account's default. */
export async function resolveInbox(db: Db, accountId: string, inboxId?: string) {
  if (inboxId) return getInbox(db, { accountId, id: inboxId });
  const [inbox] = await db
    .select()
    .from(inboxes)
    .where(and(eq(inboxes.accountId, accountId), eq(inboxes.isDefault, true)))
    .limit(1);
  if (!inbox) throw notFound("Inbox");
  return inbox;
}

export async function updateInbox(
  db: Db,
  input: { accountId: string; id: string; name?: string; requireIdentityVerification?: boolean },
) {
  const { accountId, id, ...changes } = input;
  const [inbox] = await db
    .update(inboxes)
    .set(changes)
    .where(and(eq(inboxes.accountId, accountId), eq(inboxes.id, id)))
    .returning();
  if (!inbox) throw notFound("Inbox");
  return inbox;
}

/** Replaces the inbox's identity secret; hashes computed with the old one stop working. */
export async function rotateIdentitySecret(
  db: Db,
  { accountId, id }: { accountId: string; id: string },
) {
  const [inbox] = await db
    .update(inboxes)
    .set({ identitySecret: randomBytes(32).toString("hex") })
    .where(and(eq(inboxes.accountId, accountId), eq(inboxes.id, id)))
    .returning();
  if (!inbox) throw notFound("Inbox");
  return inbox;
}

export async function getWidgetSettings(
  db: Db,
  { accountId, inboxId }: { accountId: string; inboxId: string },
): Promise<WidgetSettings> {
  const [row] = await db
    .select()
    .from(widgetSettings)
    .where(and(eq(widgetSettings.accountId, accountId), eq(widgetSettings.inboxId, inboxId)))
    .limit(1);
  if (!row) throw notFound("Inbox");
  // Stored settings were validated on write; parse again so old rows with retired keys still load.
  return ZWidgetSettings.strip().parse(row.settings);
}

/** Merges `settings` over what is stored: undefined keeps a value, null clears it. */
export async function updateWidgetSettings(
  db: Db,
  input: { accountId: string; inboxId: string; settings: WidgetSettingsPatch },
): Promise<WidgetSettings> {
  const current = await getWidgetSettings(db, input);
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(input.settings)) {
    if (value === null) delete merged[key];
    else if (value !== undefined) merged[key] = value;
  }
  await db
    .update(widgetSettings)
    .set({ settings: merged })
    .where(
      and(eq(widgetSettings.accountId, input.accountId), eq(widgetSettings.inboxId, input.inboxId)),
    );
  forgetAllowedOrigins(input.inboxId);
  return ZWidgetSettings.parse(merged);
}

/** How long a node trusts its cached copy of an inbox's allowed origins. */
const ORIGINS_CACHE_MS = 30_000;
const originsCache = new Map<string, { origins: string[]; expiresAt: number }>();

function forgetAllowedOrigins(inboxId: string): void {
  originsCache.delete(inboxId);
}

/**
 * The origins an inbox's widget may be embedded on (empty: any), cached per
 * node; updateWidgetSettings drops this node's copy, other nodes' expire.
 */
export async function allowedOrigins(
  db: Db,
  accountId: string,
  inboxId: string,
): Promise<string[]> {
  const cached = originsCache.get(inboxId);
  if (cached && cached.expiresAt > Date.now()) return cached.origins;
  const settings = await getWidgetSettings(db, { accountId, inboxId });
  const origins = (settings.allowedOrigins ?? []).map((u) => new URL(u).origin);
  if (originsCache.size > 10_000) originsCache.clear();
  originsCache.set(inboxId, { origins, expiresAt: Date.now() + ORIGINS_CACHE_MS });
  return origins;
}
