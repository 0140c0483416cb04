// Endpoints an account's admins subscribe to events. The signing secret is
// shown once, when it is made (on creation and rotation), and stored
// encrypted under a key of its own. Every change forgets this node's cache of
// the account's subscriptions, so the next write here sees it.
import { randomBytes } from "node:crypto";
import {
  AppError,
  forgetWebhookSubscriptions,
  notFound,
  tokenCipher,
  type WebhookEventType,
} from "@netia/core";
import { type Db, schema } from "@netia/db";
import { and, asc, count, eq } from "drizzle-orm";
import { checkWebhookUrl, type Resolver } from "./ssrf";

const { webhookEndpoints } = schema;

const secrets = tokenCipher("netia:webhook-secrets");

/** Endpoints one account may have. */
export const MAX_ENDPOINTS_PER_ACCOUNT = 100;

/** What endpoint functions need from the process: the key base and the SSRF setting. */
export type WebhookSettings = {
  secretKeyBase: string;
  allowPrivateNetworks: boolean;
  /** Tests resolve host names their own way; node:dns otherwise. */
  resolve?: Resolver;
};

export type WebhookEndpoint = {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  disabledAt: Date | null;
  disabledReason: string | null;
  failureStreak: number;
  createdAt: Date;
};

const endpointColumns = {
  id: webhookEndpoints.id,
  url: webhookEndpoints.url,
  description: webhookEndpoints.description,
  eventTypes: webhookEndpoints.eventTypes,
  enabled: webhookEndpoints.enabled,
  disabledAt: webhookEndpoints.disabledAt,
  disabledReason: webhookEndpoints.disabledReason,
  failureStreak: webhookEndpoints.failureStreak,
  createdAt: webhookEndpoints.createdAt,
};

/** A new signing secret in the Standard Webhooks form: `whsec_` and 24 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/** The endpoint's signing secret, decrypted. */
export function endpointSecret(settings: WebhookSettings, secretEncrypted: string): string {
  return secrets.decrypt(settings.secretKeyBase, secretEncrypted);
}

export async function listWebhookEndpoints(db: Db, accountId: string): Promise<WebhookEndpoint[]> {
  return db
    .select(endpointColumns)
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.accountId, accountId))
    .orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id));
}

export async function getWebhookEndpoint(
  db: Db,
  input: { accountId: string; id: string },
): Promise<WebhookEndpoint> {
  const [endpoint] = await db
    .select(endpointColumns)
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.accountId, input.accountId), eq(webhookEndpoints.id, input.id)));
  if (!endpoint) throw notFound("Webhook endpoint");
  return endpoint;
}

/** Creates an endpoint; its secret is returned this once. The URL passes the SSRF guard first. */
export async function createWebhookEndpoint(
  db: Db,
  settings: WebhookSettings,
  input: { accountId: string; url: string; description?: string; eventTypes: WebhookEventType[] },
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  await checkWebhookUrl(input.url, settings);
  const [existing] = await db
    .select({ n: count() })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.accountId, input.accountId));
  if ((existing?.n ?? 0) >= MAX_ENDPOINTS_PER_ACCOUNT) {
    throw new AppError(
      "BAD_REQUEST",
      `An account can have at most ${MAX_ENDPOINTS_PER_ACCOUNT} webhook endpoints`,
    );
  }
  const secret = newWebhookSecret();
  const [endpoint] = await db
    .insert(webhookEndpoints)
    .values({
      accountId: input.accountId,
      url: input.url,
      description: input.description ?? "",
      eventTypes: [...new Set(input.eventTypes)],
      secretEncrypted: secrets.encrypt(settings.secretKeyBase, secret),
    })
    .returning(endpointColumns);
  if (!endpoint) throw new Error("webhook endpoint insert returned nothing");
  forgetWebhookSubscriptions(input.accountId);
  return { endpoint, secret };
}

/**
 * Changes the URL, description, events, or switches the endpoint on or off.
 * Switching it on again starts its failure count over.
 */
export async function updateWebhookEndpoint(
  db: Db,
  settings: WebhookSettings,
  input: {
    accountId: string;
    id: string;
    url?: string;
    description?: string;
    eventTypes?: WebhookEventType[];
    enabled?: boolean;
  },
): Promise<WebhookEndpoint> {
  const current = await getWebhookEndpoint(db, input);
  if (input.url !== undefined) await checkWebhookUrl(input.url, settings);
  const set: Partial<typeof webhookEndpoints.$inferInsert> = {};
  if (input.url !== undefined) set.url = input.url;
  if (input.description !== undefined) set.description = input.description;
  if (input.eventTypes !== undefined) set.eventTypes = [...new Set(input.eventTypes)];
  if (input.enabled === true && !current.enabled) {
    Object.assign(set, {
      enabled: true,
      disabledAt: null,
      disabledReason: null,
      failureStreak: 0,
      failingSince: null,
    });
  } else if (input.enabled === false && current.enabled) {
    Object.assign(set, {
      enabled: false,
      disabledAt: new Date(),
      disabledReason: "Switched off by an admin",
    });
  }
  if (Object.keys(set).length === 0) return current;
  const [endpoint] = await db
    .update(webhookEndpoints)
    .set(set)
    .where(and(eq(webhookEndpoints.accountId, input.accountId), eq(webhookEndpoints.id, input.id)))
    .returning(endpointColumns);
  forgetWebhookSubscriptions(input.accountId);
  return endpoint ?? current;
}

/** A new secret replaces the old one at once; returned this once. */
export async function rotateWebhookSecret(
  db: Db,
  settings: WebhookSettings,
  input: { accountId: string; id: string },
): Promise<{ secret: string }> {
  const secret = newWebhookSecret();
  const [row] = await db
    .update(webhookEndpoints)
    .set({ secretEncrypted: secrets.encrypt(settings.secretKeyBase, secret) })
    .where(and(eq(webhookEndpoints.accountId, input.accountId), eq(webhookEndpoints.id, input.id)))
    .returning({ id: webhookEndpoints.id });
  if (!row) throw notFound("Webhook endpoint");
  return { secret };
}

/** Removes the endpoint and its delivery log. */
export async function deleteWebhookEndpoint(
  db: Db,
  input: { accountId: string; id: string },
): Promise<void> {
  const [row] = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.accountId, input.accountId), eq(webhookEndpoints.id, input.id)))
    .returning({ id: webhookEndpoints.id });
  if (!row) throw notFound("Webhook endpoint");
  forgetWebhookSubscriptions(input.accountId);
}
