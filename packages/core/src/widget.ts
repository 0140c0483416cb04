// The visitor's side: who they are (anonymous, identified, or verified), and
// their own conversations. Everything here is scoped to one widget session.
import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { and, desc, eq, sql } from "drizzle-orm";
import { getAccount } from "./accounts";
import { lastMessagePreview, withPreviewDate } from "./conversations";
import { getWidgetSettings, resolveInbox } from "./inboxes";
import type { WidgetSession } from "./sessions";
import { hashToken, hmacHex, newToken, safeEqualHex } from "./tokens";

const { customers, widgetSessions, conversations } = schema;

export const WIDGET_SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

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
  input: { accountToken: string; inboxId?: string },
) {
  const account = await getAccount(db, { accountId: input.accountToken });
  const inbox = await resolveInbox(db, account.id, input.inboxId);
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
export async function identifyVisitor(db: Db, input: IdentifyInput) {
  const account = await getAccount(db, { accountId: input.accountToken });
  const inbox = await resolveInbox(db, account.id, input.inboxId);
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
