// The visitor's side: who they are (anonymous, identified, or verified), and
// their own conversations. Everything here is scoped to one widget session.
import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import type { PresenceStore } from "@netia/realtime";
import { and, desc, eq, sql } from "drizzle-orm";
import { getAccount } from "./accounts";
import { getAssistantSettings } from "./assistant-settings";
import { conversationIdColumn, lastMessagePreview, withPreviewDate } from "./conversations";
import { AppError } from "./errors";
import { allowedOrigins, getWidgetSettings, resolveInbox } from "./inboxes";
import { presenceKeys } from "./live";
import type { WidgetSession } from "./sessions";
import { hashToken, hmacHex, newToken, safeEqualHex } from "./tokens";
import { enqueueWebhookEvents, type WebhookJobs } from "./webhook-events";

const { customers, widgetSessions, conversations, messages } = schema;

export const WIDGET_SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

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

/**
 * Whether `now` falls in the account's working hours, in its time zone. No
 * hours configured means always open.
 */
export function withinWorkingHours(
  account: {
    timeZone: string;
    workingHours: { day: number; startMinute: number; endMinute: number }[];
  },
  now = new Date(),
): boolean {
  if (account.workingHours.length === 0) return true;
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: account.timeZone,
    weekday: "short",
    hour: "numeric",
    minute: "numeric",
    hourCycle: "h23",
  }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(part("weekday"));
  const minute = Number(part("hour")) * 60 + Number(part("minute"));
  return account.workingHours.some(
    (h) => h.day === day && minute >= h.startMinute && minute < h.endMinute,
  );
}

/**
 * Whether the assistant answers in this inbox, as the widget needs to know it
 * (to offer "Talk to a person" and name the bot): the account's switch, the
 * inbox's switch and a provider on the server must all be on.
 */
async function publicAssistant(
  db: Db,
  input: { accountId: string; inboxAssistantEnabled: boolean; serverHasAi: boolean },
): Promise<{ enabled: boolean; name: string }> {
  const settings = await getAssistantSettings(db, input.accountId);
  return {
    enabled: settings.enabled && input.inboxAssistantEnabled && input.serverHasAi,
    name: settings.botName,
  };
}

export async function getPublicWidgetConfig(
  deps: {
    db: Db;
    presence: PresenceStore;
    /** The server's AI provider; null when it has none (OPENAI_API_KEY unset). */
    ai: object | null;
  },
  input: { accountToken: string; inboxId?: string; origin?: string | null },
) {
  const { db } = deps;
  const account = await getAccount(db, { accountId: input.accountToken });
  const inbox = await resolveInbox(db, account.id, input.inboxId);
  await assertOriginAllowed(db, { accountId: account.id, inboxId: inbox.id, origin: input.origin });
  const settings = await getWidgetSettings(db, { accountId: account.id, inboxId: inbox.id });
  const { allowedOrigins: _private, ...publicSettings } = settings;
  const open = withinWorkingHours(account);
  const agents = await deps.presence.list(presenceKeys.agents(account.id));
  const assistant = await publicAssistant(db, {
    accountId: account.id,
    inboxAssistantEnabled: inbox.assistantEnabled,
    serverHasAi: deps.ai !== null,
  });
  return {
    accountId: account.id,
    inboxId: inbox.id,
    companyName: account.companyName,
    requireIdentityVerification: inbox.requireIdentityVerification,
    agentsOnline: agents.length > 0,
    withinWorkingHours: open,
    // The account's away message, only while it applies: the widget shows it to
    // visitors who write outside working hours.
    awayMessage: open ? null : account.awayMessage || null,
    settings: publicSettings,
    assistant,
  };
}

/**
 * Starts a widget session for a visitor, bound to one inbox (the default one
 * when none is named) and one customer. An external id counts only when the
 * inbox does not require verification or the identity hash is valid; otherwise
 * the visitor stays anonymous.
 *
 * Verified and unverified identities are separate customers: a claim with a
 * valid hash matches only customers proven the same way, a claim without one
 * only customers who were never proven. So an unverified claim never attaches
 * to, reads or changes a customer verified on any inbox (docs/security.md).
 */
export async function identifyVisitor(
  db: Db,
  input: IdentifyInput & { origin?: string | null },
  /** Where a new customer's `customer.created` webhooks are enqueued (docs/webhooks.md). */
  jobs?: WebhookJobs,
) {
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

  const identity = trustedExternalId
    ? `${verified ? "verified" : "claimed"}:${trustedExternalId}`
    : input.visitorId;
  const customerId = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${account.id}:${identity}`}))`);
    const [known] = trustedExternalId
      ? await tx
          .select()
          .from(customers)
          .where(
            and(
              eq(customers.accountId, account.id),
              eq(customers.externalId, trustedExternalId),
              eq(customers.verified, verified),
            ),
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
    // identified (as someone else, or the same id proven differently) starts a
    // new customer record instead.
    const sameIdentity =
      visitor?.externalId === trustedExternalId && visitor?.verified === verified;
    if (visitor && (!visitor.externalId || sameIdentity)) {
      await tx
        .update(customers)
        .set({
          ...details,
          ...(trustedExternalId && { externalId: trustedExternalId, verified }),
        })
        .where(eq(customers.id, visitor.id));
      return visitor.id;
    }
    const [created] = await tx
      .insert(customers)
      .values({
        accountId: account.id,
        externalId: trustedExternalId,
        verified: !!trustedExternalId && verified,
        visitorId: visitor ? null : input.visitorId,
        ...details,
      })
      .returning({ id: customers.id });
    if (!created) throw new Error("customer insert returned nothing");
    await enqueueWebhookEvents(jobs, tx, [
      { type: "customer.created", accountId: account.id, customerId: created.id },
    ]);
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

/** The visitor's own conversations in their inbox, newest first, with a preview of the last public message. */
export async function listVisitorConversations(db: Db, session: WidgetSession) {
  const rows = await db
    .select({
      id: conversations.id,
      status: conversations.status,
      lastActivityAt: conversations.lastActivityAt,
      createdAt: conversations.createdAt,
      answeredBy: conversations.answeredBy,
      lastMessage: lastMessagePreview({ publicOnly: true }),
      // Agent and bot messages the visitor has not seen yet.
      unread: sql<number>`(
        select count(*)::int from ${messages} m
        where m.conversation_id = ${conversationIdColumn} and m.private = false
          and m.sender_type <> 'customer' and m.seen_at is null
      )`,
    })
    .from(conversations)
    .where(
      and(
        eq(conversations.accountId, session.accountId),
        eq(conversations.inboxId, session.inboxId),
        eq(conversations.customerId, session.customerId),
      ),
    )
    .orderBy(desc(conversations.lastActivityAt))
    .limit(50);
  return rows.map(withPreviewDate);
}
