// Emails to customers who wrote in the chat and left before seeing the team's
// answer: when an agent's or the assistant's public reply has gone unseen
// (messages.seen_at null) for the account's `customer_email_after_minutes`, the
// customer gets one email with the conversation so far. Each unseen batch is
// emailed once (dedupe key: the newest unseen message), replying to it
// reaches the conversation (a reply-to address signed for the customer), and
// it carries a one-click unsubscribe.
import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { customerReplyEmail } from "@netia/email";
import { and, eq, gt, isNotNull, isNull, lte, ne, sql } from "drizzle-orm";
import { replyAddress } from "./email-addresses";
import type { EmailSettings } from "./email-alerts";
import { unsubscribeHeaders, unsubscribeUrl } from "./email-unsubscribe";
import { type EmailJobs, queueEmail } from "./outbound-email";
import { conversationLines, senderBrand } from "./transcripts";

const { accounts, messages, conversations, customers } = schema;

/**
 * How long after its delay an unseen reply is still looked for. The sweep runs
 * every minute; this covers a sweep that could not run for a while without
 * reading ever older messages.
 */
const LOOKBACK_MS = 60 * 60_000;

/** The `email.customer-replies` sweep. Returns how many emails it queued. */
export async function sweepCustomerReplyEmails(
  deps: { db: Db; jobs: EmailJobs; settings: EmailSettings },
  { now = new Date() }: { now?: Date } = {},
): Promise<number> {
  const { db, settings } = deps;
  const enabled = await db
    .select({ id: accounts.id, minutes: accounts.customerEmailAfterMinutes })
    .from(accounts)
    .where(isNotNull(accounts.customerEmailAfterMinutes));
  let queued = 0;
  for (const account of enabled) {
    const dueBefore = new Date(now.getTime() - (account.minutes ?? 0) * 60_000);
    // Through messages_created_idx (account_id, created_at): only this
    // account's replies of the window are read.
    const due = await db
      .selectDistinct({
        conversationId: messages.conversationId,
        customerId: conversations.customerId,
        email: customers.email,
        name: customers.name,
      })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .innerJoin(customers, eq(customers.id, conversations.customerId))
      .where(
        and(
          eq(messages.accountId, account.id),
          lte(messages.createdAt, dueBefore),
          gt(messages.createdAt, new Date(dueBefore.getTime() - LOOKBACK_MS)),
          ne(messages.senderType, "customer"),
          eq(messages.private, false),
          isNull(messages.seenAt),
          eq(conversations.channel, "chat"),
          isNotNull(customers.email),
          isNull(customers.emailUnsubscribedAt),
          // A customer who wrote after the reply was there to see it.
          sql`not exists (select 1 from messages later
            where later.conversation_id = ${messages.conversationId}
              and later.seq > ${messages.seq} and later.sender_type = 'customer')`,
        ),
      );
    for (const row of due) {
      if (!row.email) continue;
      const [newestUnseen] = await db
        .select({ seq: sql<number>`max(${messages.seq})` })
        .from(messages)
        .where(
          and(
            eq(messages.conversationId, row.conversationId),
            ne(messages.senderType, "customer"),
            eq(messages.private, false),
            isNull(messages.seenAt),
          ),
        );
      const unsubscribe = unsubscribeUrl(settings, {
        kind: "customer",
        id: row.customerId,
        accountId: account.id,
      });
      const reply = replyAddress(
        { secretKeyBase: settings.secretKeyBase, inboundDomain: settings.email.inboundDomain },
        row.conversationId,
        { type: "customer", id: row.customerId },
      );
      const { lines } = await conversationLines(db, row.conversationId);
      const rendered = await customerReplyEmail({
        brand: await senderBrand(db, account.id),
        customerName: row.name,
        lines,
        canReplyByEmail: reply !== null,
        unsubscribeUrl: unsubscribe,
      });
      const { created } = await queueEmail(
        db,
        { jobs: deps.jobs, from: settings.email.from },
        {
          accountId: account.id,
          kind: "customer_reply",
          to: row.email,
          customerId: row.customerId,
          conversationId: row.conversationId,
          replyTo: reply,
          headers: { ...unsubscribeHeaders(unsubscribe), "Auto-Submitted": "auto-generated" },
          dedupeKey: `customer-reply:${row.conversationId}:${Number(newestUnseen?.seq)}`,
          ...rendered,
        },
      );
      if (created) queued++;
    }
  }
  return queued;
}
