// The visitor's side: who they are (anonymous, identified, or verified), and
// their own conversations. Everything here is scoped to one widget session.
import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { and, desc, eq, sql } from "drizzle-orm";
import { getAccount } from "./accounts";
import { lastMessagePreview, withPreviewDate } from "./conversations";
import { AppError } from "./errors";
import { getWidgetSettings, resolveInbox } from "./inboxes";
import type { WidgetSession } from "./sessions";
import { hashToken, hmacHex, newToken, safeEqualHex } from "./tokens";

const { customers, widgetSessions, conversations } = schema;

export const WIDGET_SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** How long a node trusts its cached copy of an inbox's allowed origins. */
const ORIGINS_CACHE_MS = 30_000;
const originsCache = new Map<string, { origins: string[]; expiresAt: number }>();

export function forgetAllowedOrigins(inboxId: string): void {
  originsCache.delete(inboxId);
}

async function allowedOrigins(db: Db, accountId: string, inboxId: string): Promise<string[]> {
  const cached = originsCache.get(inboxId);
  if (cached && cached.expiresAt > Date.now()) return cached.origins;
  const settings = await getWidgetSettings(db, { accountId, inboxId });
  const origins = (settings.allowedOrigins ?? []).map((u) => new URL(u).origin);
  if (originsCache.size > 10_000) originsCache.clear();
  originsCache.set(inboxId, { origins, expiresAt: Date.now() + ORIGINS_CACHE_MS });
  return origins;
}

/**
 * With an allow-list on the inbox, a browser on any other site is refused.
 * Calls without an Origin header (servers, the SDK) are not browsers embedding
 * the widget, and the list cannot restrict them anyway.
 */
export async function assertOriginAllowed(
  db: Db,
  input: { accountId: string; inboxId: string; origin: string | null | undefined },
) {
  if (!input.origin) return;
  const origins = await allowedOrigins(db, input.accountId, input.inboxId);
  if (origins.length === 0) return;
  let origin: string;
  try {
    origin = new URL(input.origin).origin;
  } catch {
    origin = input.origin;
  }
  if (!origins.includes(origin)) {
    throw new AppError(
      "FORBIDDEN",
      `The chat of this inbox is not allowed on ${origin}; add it to the inbox's allowed origins`,
    );
  }
}

export type BrowserContext = {
  currentUrl?: string;
  host?: string;
  pathname?: string;
  referrer?: string;
  browser?: string;
  os?: string;
  screen?: string;
  timeZone?: string;
  language?: string;
};

export type IdentifyInput = {
  /** The account's public token (its id), as the embed snippet carries it. */
  accountToken: string;
  inboxId?: string;
  /** Random id the widget keeps in the browser's storage. */
  visitorId: string;
  customer?: {
    externalId?: string;
    email?: string;
    name?: string;
    metadata?: Record<string, unknown>;
  };
  /** HMAC-SHA256(inbox identity secret, externalId), computed by the host's server. */
  identityHash?: string;
  context?: BrowserContext;
};

export async function getPublicWidgetConfig(
  db: Db,
  input: { accountToken: string; inboxId?: string; origin?: string | null },
) {
  const account = await getAccount(db, { accountId: input.accountToken });
  const inbox = await resolveInbox(db, account.id, input.inboxId);
  await assertOriginAllowed(db, { accountId: account.id, inboxId: inbox.id, origin: input.origin });
  const settings = await getWidgetSettings(db, { accountId: account.id, inboxId: inbox.id });
  const { allowedOrigins: _private, ...publicSettings } = settings;
  return {
    accountId: account.id,
    inboxId: inbox.id,
    companyName: account.companyName,
    requireIdentityVerification: inbox.requireIdentityVerification,
    settings: publicSettings,
  };
}

/**
 * Starts a widget session for a visitor. An external id counts only when the
 * inbox does not require verification or the identity hash is valid; otherwise
 * the visitor stays anonymous and can never reach that customer's conversations.
 */
export async function identifyVisitor(db: Db, input: IdentifyInput & { origin?: string | null }) {
  const account = await getAccount(db, { accountId: input.accountToken });
  const inbox = await resolveInbox(db, account.id, input.inboxId);
  await assertOriginAllowed(db, { accountId: account.id, inboxId: inbox.id, origin: input.origin });
  const externalId = input.customer?.externalId;
  const verified =
    !!externalId &&
    !!input.identityHash &&
    safeEqualHex(hmacHex(inbox.identitySecret, externalId), input.identityHash.toLowerCase());
  const trustedExternalId =
    externalId && (verified || !inbox.requireIdentityVerification) ? externalId : undefined;

  const details = {
    ...(input.customer?.email !== undefined && { email: input.customer.email }),
    ...(input.customer?.name !== undefined && { name: input.customer.name }),
    ...(input.customer?.metadata !== undefined && { metadata: input.customer.metadata }),
    ...input.context,
    lastSeenAt: new Date(),
  };

  const customerId = await db.transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext(${`${account.id}:${trustedExternalId ?? input.visitorId}`}))`,
    );
    const [known] = trustedExternalId
      ? await tx
          .select()
          .from(customers)
          .where(
            and(eq(customers.accountId, account.id), eq(customers.externalId, trustedExternalId)),
          )
          .limit(1)
      : [];
    if (known) {
      await tx.update(customers).set(details).where(eq(customers.id, known.id));
      return known.id;
    }
    const [visitor] = await tx
      .select()
      .from(customers)
      .where(and(eq(customers.accountId, account.id), eq(customers.visitorId, input.visitorId)))
      .limit(1);
    // An anonymous visitor who identifies becomes that customer; one already
    // identified as someone else starts a new customer record instead.
    if (visitor && (!visitor.externalId || visitor.externalId === trustedExternalId)) {
      await tx
        .update(customers)
        .set({ ...details, ...(trustedExternalId && { externalId: trustedExternalId }) })
        .where(eq(customers.id, visitor.id));
      return visitor.id;
    }
    const [created] = await tx
      .insert(customers)
      .values({
        accountId: account.id,
        externalId: trustedExternalId,
        visitorId: visitor ? null : input.visitorId,
        ...details,
      })
      .returning({ id: customers.id });
    if (!created) throw new Error("customer insert returned nothing");
    return created.id;
  });

  const sessionToken = newToken();
  await db.insert(widgetSessions).values({
    accountId: account.id,
    inboxId: inbox.id,
    customerId,
    tokenHash: hashToken(sessionToken),
    verified,
    expiresAt: new Date(Date.now() + WIDGET_SESSION_TTL_MS),
  });
  return { sessionToken, customerId, inboxId: inbox.id, verified };
}

/** The visitor's own conversations, newest first, with a preview of the last public message. */
export async function listVisitorConversations(db: Db, session: WidgetSession) {
  const rows = await db
    .select({
      id: conversations.id,
      status: conversations.status,
      lastActivityAt: conversations.lastActivityAt,
      createdAt: conversations.createdAt,
      lastMessage: lastMessagePreview({ publicOnly: true }),
    })
    .from(conversations)
    .where(
      and(
        eq(conversations.accountId, session.accountId),
        eq(conversations.customerId, session.customerId),
      ),
    )
    .orderBy(desc(conversations.lastActivityAt))
    .limit(50);
  return rows.map(withPreviewDate);
}
