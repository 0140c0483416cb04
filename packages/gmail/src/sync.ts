// Mail that arrives in a connected mailbox becomes email conversations.
//
// The first sync lists the inbox's recent messages (bounded by count and age)
// and remembers the mailbox's history id, read before the listing so nothing
// that arrives meanwhile is missed. Later syncs read users.history.list from
// that id, page by page. A page's messages are stored before the id moves
// past them, and each Gmail message is claimed once in gmail_messages (its
// primary key) in the transaction that stores it: a sync that dies mid-page
// runs again from the same id and skips what it had stored, and two syncs at
// once store each message once. When Google has dropped the history from
// that id (404), the sync starts over like the first one; the claims keep it
// from importing anything twice.
//
// A Gmail thread is one conversation (gmail_threads), the sender one customer
// (matched by email address), the subject the conversation's. Messages Netia
// sent (claimed as `out` when sent), anything not in the inbox (sent from
// Gmail itself, drafts) and automatic mail (auto-replies, bounces, bulk) are
// claimed as `skipped`, never imported.
import {
  type AppError,
  announceConversationStarted,
  createCustomerMessage,
  enqueueWebhookEvents,
  heldBus,
  isAppError,
  storeAttachment,
  type WriteDeps,
} from "@netia/core";
import { type Db, schema } from "@netia/db";
import type { EventBus } from "@netia/realtime";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import {
  type ConnectedGmail,
  connectedGmail,
  type GmailConnection,
  type GmailDeps,
  loadConnection,
} from "./client";
import { statusOf } from "./errors";
import { type ParsedMail, parseRawMail } from "./parse";

const { gmailConnections, gmailMessages, gmailThreads, conversations, customers, inboundEmails } =
  schema;

export type SyncDeps = GmailDeps & {
  bus: EventBus;
  /**
   * The queue (in the sync job): an imported message enqueues what any customer
   * message does (its Slack thread's sync, webhooks, an assistant reply).
   */
  jobs?: WriteDeps["jobs"];
};

export type SyncOptions = {
  /** The most messages a first sync (or a full resync) imports, newest first (default 200). */
  initialLimit?: number;
  /** Which messages a first sync looks at, as a Gmail search (default the last 30 days). */
  initialQuery?: string;
  /** History records asked for per page (default 100). */
  pageSize?: number;
  /**
   * Messages fetched at once (default 8). Those of different threads are then
   * stored side by side; a thread's own messages one by one, in order.
   */
  concurrency?: number;
};

export type SyncResult = {
  mode: "initial" | "incremental" | "full_resync";
  imported: number;
  skipped: number;
  historyId: string;
};

type FetchedMessage = {
  id: string;
  threadId: string;
  labelIds: string[];
  /** Parsed while fetching, so no transaction stays open during the parse. */
  parsed: ParsedMail;
};

/** The longest message body kept; the rest of a very long email is cut. */
const MAX_BODY_CHARS = 50_000;
/** Message-IDs kept in a thread's References (the newest ones). */
const MAX_REFERENCES = 30;

/**
 * Syncs one connection. Throws GmailReconnectRequired when Google refuses its
 * tokens (the connection is marked), and any other error after the retries of
 * one call ran out: the history id stays where the stored messages end.
 */
export async function syncGmailConnection(
  deps: SyncDeps,
  connectionId: string,
  options: SyncOptions = {},
): Promise<SyncResult | null> {
  const connection = await loadConnection(deps.db, connectionId);
  if (!connection) return null;
  const gmail = connectedGmail(deps, connection);
  let result: SyncResult;
  if (!connection.historyId) {
    result = await fullSync(deps, gmail, "initial", options);
  } else {
    try {
      result = await incrementalSync(deps, gmail, connection.historyId, options);
    } catch (error) {
      // Gmail keeps about a week of history; older ids answer 404.
      if (statusOf(error) !== 404) throw error;
      deps.logger?.warn(
        { connectionId, historyId: connection.historyId },
        "gmail history id expired; resyncing the inbox",
      );
      result = await fullSync(deps, gmail, "full_resync", options);
    }
  }
  await deps.db
    .update(gmailConnections)
    .set({ lastSyncedAt: new Date(), lastError: null, updatedAt: new Date() })
    .where(eq(gmailConnections.id, connectionId));
  return result;
}

async function saveHistoryId(db: Db, connectionId: string, historyId: string): Promise<void> {
  // Never backwards: a slower sync that overlapped another must not rewind it.
  await db
    .update(gmailConnections)
    .set({ historyId, updatedAt: new Date() })
    .where(
      and(
        eq(gmailConnections.id, connectionId),
        sql`coalesce(${gmailConnections.historyId}::numeric, 0) < ${historyId}::numeric`,
      ),
    );
}

async function fullSync(
  deps: SyncDeps,
  gmail: ConnectedGmail,
  mode: "initial" | "full_resync",
  options: SyncOptions,
): Promise<SyncResult> {
  const limit = options.initialLimit ?? 200;
  const profile = await gmail.call((api) => api.users.getProfile({ userId: "me" }));
  const historyId = profile.data.historyId;
  if (!historyId) throw new Error("gmail profile has no history id");
  const ids: string[] = [];
  let pageToken: string | undefined;
  do {
    const page = await gmail.call((api) =>
      api.users.messages.list({
        userId: "me",
        labelIds: ["INBOX"],
        q: options.initialQuery ?? "newer_than:30d",
        maxResults: Math.min(500, limit - ids.length),
        ...(pageToken && { pageToken }),
      }),
    );
    for (const m of page.data.messages ?? []) if (m.id) ids.push(m.id);
    pageToken = page.data.nextPageToken ?? undefined;
  } while (pageToken && ids.length < limit);
  // Oldest first, so a thread's messages keep their order in the conversation.
  const counts = await importMessages(deps, gmail, ids.slice(0, limit).reverse(), options);
  await saveHistoryId(deps.db, gmail.connection.id, historyId);
  return { mode, ...counts, historyId };
}

async function incrementalSync(
  deps: SyncDeps,
  gmail: ConnectedGmail,
  startHistoryId: string,
  options: SyncOptions,
): Promise<SyncResult> {
  const totals = { imported: 0, skipped: 0 };
  let pageToken: string | undefined;
  let reached = startHistoryId;
  for (;;) {
    const page = await gmail.call((api) =>
      api.users.history.list({
        userId: "me",
        startHistoryId,
        historyTypes: ["messageAdded"],
        maxResults: options.pageSize ?? 100,
        ...(pageToken && { pageToken }),
      }),
    );
    const records = page.data.history ?? [];
    const ids: string[] = [];
    for (const record of records) {
      for (const added of record.messagesAdded ?? []) {
        const labels = added.message?.labelIds;
        // Sent from Gmail itself, a draft: nothing a customer wrote to the inbox.
        if (labels && !labels.includes("INBOX")) continue;
        if (added.message?.id) ids.push(added.message.id);
      }
    }
    const counts = await importMessages(deps, gmail, ids, options);
    totals.imported += counts.imported;
    totals.skipped += counts.skipped;
    pageToken = page.data.nextPageToken ?? undefined;
    // Only now that the page is stored may the next sync start after it.
    const next = pageToken ? records.at(-1)?.id : (page.data.historyId ?? records.at(-1)?.id);
    if (next) {
      await saveHistoryId(deps.db, gmail.connection.id, next);
      reached = next;
    }
    if (!pageToken) break;
  }
  return { mode: "incremental", ...totals, historyId: reached };
}

/** Fetches and stores `ids` in order, a few fetches at a time, skipping those claimed before. */
async function importMessages(
  deps: SyncDeps,
  gmail: ConnectedGmail,
  ids: string[],
  options: SyncOptions,
): Promise<{ imported: number; skipped: number }> {
  const unique = [...new Set(ids)];
  const counts = { imported: 0, skipped: 0 };
  if (unique.length === 0) return counts;
  const known = new Set<string>();
  for (let i = 0; i < unique.length; i += 1000) {
    const rows = await deps.db
      .select({ gmailId: gmailMessages.gmailId })
      .from(gmailMessages)
      .where(
        and(
          eq(gmailMessages.connectionId, gmail.connection.id),
          inArray(gmailMessages.gmailId, unique.slice(i, i + 1000)),
        ),
      );
    for (const row of rows) known.add(row.gmailId);
  }
  const todo = unique.filter((id) => !known.has(id));
  const concurrency = Math.max(1, options.concurrency ?? 8);
  for (let i = 0; i < todo.length; i += concurrency) {
    const batch = await Promise.all(
      todo.slice(i, i + concurrency).map((id) => fetchMessage(gmail, id)),
    );
    const threads = new Map<string, FetchedMessage[]>();
    for (const message of batch) {
      if (!message) continue;
      const thread = threads.get(message.threadId);
      if (thread) thread.push(message);
      else threads.set(message.threadId, [message]);
    }
    const outcomes = await Promise.all(
      [...threads.values()].map(async (thread) => {
        const stored: StoreOutcome[] = [];
        for (const message of thread) {
          stored.push(await storeMessage(deps, gmail.connection, message));
        }
        return stored;
      }),
    );
    for (const outcome of outcomes.flat()) {
      if (outcome === "imported") counts.imported++;
      else if (outcome === "skipped") counts.skipped++;
    }
  }
  return counts;
}

async function fetchMessage(gmail: ConnectedGmail, id: string): Promise<FetchedMessage | null> {
  try {
    const { data } = await gmail.call((api) =>
      api.users.messages.get({ userId: "me", id, format: "raw" }),
    );
    if (!data.raw || !data.threadId) return null;
    return {
      id,
      threadId: data.threadId,
      labelIds: data.labelIds ?? [],
      parsed: await parseRawMail(Buffer.from(data.raw, "base64url")),
    };
  } catch (error) {
    // Deleted between the listing and now: nothing to import.
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

type StoreOutcome = "imported" | "skipped" | "duplicate";

/** Stores one fetched message in one transaction, claimed in gmail_messages first. */
export async function storeMessage(
  deps: SyncDeps,
  connection: GmailConnection,
  message: FetchedMessage,
): Promise<StoreOutcome> {
  const events = heldBus(deps.bus);
  const outcome = await deps.db.transaction(async (tx): Promise<StoreOutcome> => {
    const [claimed] = await tx
      .insert(gmailMessages)
      .values({
        connectionId: connection.id,
        gmailId: message.id,
        accountId: connection.accountId,
        direction: "skipped",
      })
      .onConflictDoNothing()
      .returning({ gmailId: gmailMessages.gmailId });
    if (!claimed) return "duplicate";
    if (!message.labelIds.includes("INBOX") || message.labelIds.includes("SENT")) return "skipped";
    const { parsed } = message;
    const reason = parsed.automatic
      ? parsed.automatic
      : !parsed.fromAddress
        ? "no_sender"
        : parsed.fromAddress === connection.emailAddress
          ? "loop"
          : null;
    const [inbound] = await tx
      .insert(inboundEmails)
      .values({
        accountId: connection.accountId,
        messageIdHeader: parsed.messageIdHeader,
        source: "gmail",
        fromAddress: parsed.fromAddress ?? "",
        subject: parsed.subject,
        outcome: reason ?? "accepted",
      })
      .onConflictDoNothing()
      .returning({ id: inboundEmails.id });
    // Already received another way (the same email forwarded to Netia over SMTP).
    if (!inbound || reason) return "skipped";
    const messageId = await importParsed(
      { ...deps, db: tx, bus: events.bus },
      connection,
      message,
      parsed,
    );
    await tx
      .update(gmailMessages)
      .set({ direction: "in", messageId: messageId.messageId })
      .where(
        and(eq(gmailMessages.connectionId, connection.id), eq(gmailMessages.gmailId, message.id)),
      );
    await tx
      .update(inboundEmails)
      .set({ conversationId: messageId.conversationId, messageId: messageId.messageId })
      .where(eq(inboundEmails.id, inbound.id));
    return "imported";
  });
  events.release();
  return outcome;
}

/**
 * The customer with this address in the account (the oldest), created when
 * there is none (its `customer.created` webhook commits with it).
 */
async function customerFor(
  deps: SyncDeps,
  accountId: string,
  address: string,
  name: string | null,
) {
  const { db } = deps;
  // Two syncs meeting the same new sender make one customer.
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`${accountId}:${address}`}))`);
  const [existing] = await db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.accountId, accountId), sql`lower(${customers.email}) = ${address}`))
    .orderBy(asc(customers.createdAt))
    .limit(1);
  if (existing) return existing.id;
  const [created] = await db
    .insert(customers)
    .values({ accountId, email: address, name })
    .returning({ id: customers.id });
  if (!created) throw new Error("customer insert returned nothing");
  await enqueueWebhookEvents(deps.jobs, db, [
    { type: "customer.created", accountId, customerId: created.id },
  ]);
  return created.id;
}

async function importParsed(
  deps: SyncDeps,
  connection: GmailConnection,
  message: FetchedMessage,
  parsed: ParsedMail,
): Promise<{ conversationId: string; messageId: string }> {
  const { db } = deps;
  const accountId = connection.accountId;
  const senderId = await customerFor(
    deps,
    accountId,
    parsed.fromAddress as string,
    parsed.fromName,
  );
  const [thread] = await db
    .select({
      conversationId: gmailThreads.conversationId,
      references: gmailThreads.references,
      customerId: conversations.customerId,
      inboxId: conversations.inboxId,
    })
    .from(gmailThreads)
    .innerJoin(conversations, eq(conversations.id, gmailThreads.conversationId))
    .where(
      and(
        eq(gmailThreads.connectionId, connection.id),
        eq(gmailThreads.threadId, message.threadId),
      ),
    )
    .limit(1);
  let target = thread;
  if (!target) {
    const [conversation] = await db
      .insert(conversations)
      .values({
        accountId,
        inboxId: connection.inboxId,
        customerId: senderId,
        channel: "email",
        subject: parsed.subject,
        read: false,
        // The assistant answers chats; email is for people.
        answeredBy: "people",
      })
      .returning({ id: conversations.id });
    if (!conversation) throw new Error("conversation insert returned nothing");
    await db.insert(gmailThreads).values({
      conversationId: conversation.id,
      accountId,
      connectionId: connection.id,
      threadId: message.threadId,
      subject: parsed.subject,
    });
    target = {
      conversationId: conversation.id,
      references: "",
      customerId: senderId,
      inboxId: connection.inboxId,
    };
    await announceConversationStarted(deps, db, {
      accountId,
      conversationId: conversation.id,
      customerId: senderId,
    });
  }
  const attachmentIds: string[] = [];
  for (const file of parsed.attachments) {
    try {
      const stored = await storeAttachment(db, {
        accountId,
        uploader: { customerId: target.customerId },
        filename: file.filename,
        contentType: file.contentType,
        body: [file.content],
      });
      attachmentIds.push(stored.id);
    } catch (error) {
      // A type Netia does not accept, or too large: the text still comes in.
      if (!isAppError(error)) throw error;
      deps.logger?.info(
        { filename: file.filename, reason: (error as AppError).message },
        "gmail attachment not kept",
      );
    }
  }
  // Someone else in the thread (a colleague in Cc): the conversation keeps its customer.
  const byOther = senderId !== target.customerId;
  const text = parsed.text || (attachmentIds.length ? "" : "(no text)");
  const body = (
    byOther
      ? `${parsed.fromName ?? parsed.fromAddress} <${parsed.fromAddress}> wrote:\n\n${text}`
      : text
  ).slice(0, MAX_BODY_CHARS);
  const { message: stored } = await createCustomerMessage(
    {
      db,
      bus: deps.bus,
      ...(deps.logger && { logger: deps.logger }),
      ...(deps.jobs && { jobs: deps.jobs }),
    },
    {
      accountId,
      inboxId: target.inboxId,
      customerId: target.customerId,
      conversationId: target.conversationId,
      body,
      clientMessageId: `gmail:${connection.id}:${message.id}`,
      ...(attachmentIds.length && { attachmentIds }),
    },
  );
  const references = [...target.references.split(" ").filter(Boolean), parsed.messageIdHeader];
  await db
    .update(gmailThreads)
    .set({
      lastMessageIdHeader: parsed.messageIdHeader,
      references: [...new Set(references)].slice(-MAX_REFERENCES).join(" "),
    })
    .where(eq(gmailThreads.conversationId, target.conversationId));
  return { conversationId: target.conversationId, messageId: stored.id };
}
