// Email alerts to agents: what happened since the sweep last looked becomes
// `email_alerts` rows (one per agent, kind and source), and each agent with
// alerts waiting gets ONE email carrying all of them, so a burst of messages
// makes one email, not one per message. docs/email-alerts.md tells the story.
//
// The sweep reads, it never asks the message hot path to write:
// - messages by their global `seq` (new conversations, customer messages in
//   assigned conversations, and the mentions stored with a message). A seq is
//   taken at insert, so a lower seq may commit after a higher one was seen;
//   the cursor therefore re-reads from the position it had reached OVERLAP ago
//   (kept in `state.marks`), and the unique (user, kind, source) makes the
//   re-read harmless;
// - handoffs by `handed_off_at`, re-reading the same OVERLAP window.
import { createHash } from "node:crypto";
import type { Config } from "@netia/config";
import { type Db, schema, type Tx } from "@netia/db";
import type { NotificationPreferences } from "@netia/db/schema";
import { type AgentAlertKind, type AgentAlertSection, agentAlertsEmail } from "@netia/email";
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, max, sql } from "drizzle-orm";
import { replyAddress } from "./email-addresses";
import { unsubscribeHeaders, unsubscribeUrl } from "./email-unsubscribe";
import {
  notificationPreferences,
  type ResolvedNotificationPreferences,
} from "./notification-preferences";
import { type EmailJobs, queueEmail } from "./outbound-email";

const { emailAlerts, sweepCursors, messages, conversations, memberships, mentions } = schema;

export const AGENT_ALERTS_JOB = "email.agent-alerts";

/** How far back each sweep re-reads, so a write that committed late is still seen. */
export const ALERT_OVERLAP_MS = 5 * 60_000;
/** Immediate mode waits this long after the first alert, so a burst spread over two sweeps makes one email. */
export const ALERT_COALESCE_MS = 90_000;
/** Immediate mode sends an agent at most one alert email per this interval. */
export const ALERT_MIN_INTERVAL_MS = 5 * 60_000;
/** Messages read per sweep at most; the rest waits for the next minute. */
const MESSAGE_BATCH = 2000;
/** Messages an email lists per conversation (the newest of those alerted about). */
const PREVIEWS_PER_CONVERSATION = 20;
/** Messages shown for an alert about no message in particular (a handoff). */
const CONTEXT_MESSAGES = 3;

const MESSAGES_CURSOR = "email-alerts.messages";
const HANDOFFS_CURSOR = "email-alerts.handoffs";

/** The part of the job queue the sweep needs (the runtime's `jobs` satisfies it). */
export type AgentAlertJobs = {
  enqueue(
    runner: Db | Tx,
    name: typeof AGENT_ALERTS_JOB,
    payload: { userId: string },
    options: { startAfter: Date; singletonKey: string },
  ): Promise<string | null>;
};

/** What emails need from the config: links, signing, the From address. */
export type EmailSettings = Pick<Config, "appUrl" | "backendUrl" | "secretKeyBase"> & {
  email: Pick<Config["email"], "from" | "inboundDomain">;
};

type AlertRow = typeof emailAlerts.$inferInsert;
type Mark = { at: number; seq: number };
type Member = { userId: string; prefs: ResolvedNotificationPreferences };

/** The preference switch each kind of alert answers to. */
const SWITCH: Record<AgentAlertKind, keyof NotificationPreferences> = {
  new_conversation: "emailNewConversation",
  assigned_message: "emailAssignedMessage",
  mention: "emailMention",
  handoff: "emailHandoff",
};

const wants = (member: Member, kind: AgentAlertKind) => member.prefs[SWITCH[kind]] === true;

/** Active (not disabled) members of the accounts, with their preferences resolved. */
async function activeMembers(tx: Tx, accountIds: string[]): Promise<Map<string, Member[]>> {
  const byAccount = new Map<string, Member[]>();
  if (accountIds.length === 0) return byAccount;
  const rows = await tx
    .select({
      accountId: memberships.accountId,
      userId: memberships.userId,
      stored: memberships.notificationPreferences,
    })
    .from(memberships)
    .where(and(inArray(memberships.accountId, accountIds), isNull(memberships.disabledAt)));
  for (const row of rows) {
    const list = byAccount.get(row.accountId) ?? [];
    list.push({ userId: row.userId, prefs: notificationPreferences(row.stored) });
    byAccount.set(row.accountId, list);
  }
  return byAccount;
}

/** Locks the sweep's cursor row (creating it), so two sweeps never interleave. */
async function lockCursor(tx: Tx, name: string) {
  await tx.insert(sweepCursors).values({ name }).onConflictDoNothing();
  const [row] = await tx
    .select()
    .from(sweepCursors)
    .where(eq(sweepCursors.name, name))
    .for("update");
  if (!row) throw new Error(`sweep cursor ${name} vanished`);
  return row;
}

/**
 * Where the message scan starts: the position reached by the newest sweep that
 * ran at least OVERLAP before `now`, else the cursor's base position.
 */
function scanStart(cursor: { position: number; marks: Mark[] }, now: Date): number {
  const settled = cursor.marks.filter((m) => m.at <= now.getTime() - ALERT_OVERLAP_MS);
  return settled[settled.length - 1]?.seq ?? cursor.position;
}

/**
 * The very first sweep of an installation starts with the messages of the
 * last OVERLAP: the history before is not alerted about.
 */
async function firstScanStart(tx: Tx, now: Date): Promise<number> {
  const [recent] = await tx
    .select({ seq: sql<number | null>`min(${messages.seq})` })
    .from(messages)
    .where(
      and(
        gt(messages.seq, sql`(select coalesce(max(seq), 0) - 10000 from messages)`),
        gt(messages.createdAt, new Date(now.getTime() - ALERT_OVERLAP_MS)),
      ),
    );
  if (recent?.seq) return Number(recent.seq) - 1;
  const [newest] = await tx.select({ seq: max(messages.seq) }).from(messages);
  return Number(newest?.seq ?? 0);
}

/** Alerts from messages: new conversations, customer messages in assigned conversations, mentions. */
async function alertsFromMessages(tx: Tx, now: Date): Promise<AlertRow[]> {
  const cursor = await lockCursor(tx, MESSAGES_CURSOR);
  const marks = ((cursor.state as { marks?: Mark[] }).marks ?? []).sort((a, b) => a.at - b.at);
  const fresh = cursor.position === 0 && marks.length === 0;
  const from = fresh
    ? await firstScanStart(tx, now)
    : scanStart({ position: cursor.position, marks }, now);
  // Until a mark settles, the base stays where the scans start from.
  const base = fresh ? from : cursor.position;
  const rows = await tx
    .select({
      id: messages.id,
      seq: messages.seq,
      accountId: messages.accountId,
      conversationId: messages.conversationId,
      senderType: messages.senderType,
      private: messages.private,
      assigneeId: conversations.assigneeId,
      startsConversation: sql<boolean>`not exists (
        select 1 from messages earlier
        where earlier.conversation_id = ${messages.conversationId} and earlier.seq < ${messages.seq})`,
    })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(gt(messages.seq, from))
    .orderBy(asc(messages.seq))
    .limit(MESSAGE_BATCH);
  const reached = Math.max(from, ...rows.map((r) => Number(r.seq)));

  // The base moves to the newest mark that is now settled; older marks go.
  const kept = [...marks, { at: now.getTime(), seq: reached }];
  const settledIndex = kept.findLastIndex((m) => m.at <= now.getTime() - ALERT_OVERLAP_MS);
  const position = settledIndex >= 0 ? (kept[settledIndex]?.seq ?? base) : base;
  await tx
    .update(sweepCursors)
    .set({
      position,
      state: { marks: kept.slice(Math.max(settledIndex, 0)).slice(-50) },
      updatedAt: now,
    })
    .where(eq(sweepCursors.name, MESSAGES_CURSOR));
  if (rows.length === 0) return [];

  const members = await activeMembers(tx, [...new Set(rows.map((r) => r.accountId))]);
  const mentionRows = await tx
    .select({
      messageId: mentions.messageId,
      userId: mentions.userId,
      mentionedById: mentions.mentionedById,
    })
    .from(mentions)
    .where(
      inArray(
        mentions.messageId,
        rows.map((r) => r.id),
      ),
    );
  const alerts: AlertRow[] = [];
  for (const row of rows) {
    const team = members.get(row.accountId) ?? [];
    const base = {
      accountId: row.accountId,
      conversationId: row.conversationId,
      messageId: row.id,
    };
    const fromCustomer = row.senderType === "customer" && !row.private;
    if (fromCustomer && row.startsConversation) {
      for (const member of team) {
        if (!wants(member, "new_conversation")) continue;
        alerts.push({
          ...base,
          userId: member.userId,
          kind: "new_conversation",
          sourceKey: row.conversationId,
        });
      }
    }
    if (fromCustomer && row.assigneeId) {
      const assignee = team.find((m) => m.userId === row.assigneeId);
      if (assignee && wants(assignee, "assigned_message")) {
        alerts.push({
          ...base,
          userId: assignee.userId,
          kind: "assigned_message",
          sourceKey: row.id,
        });
      }
    }
    for (const mention of mentionRows) {
      if (mention.messageId !== row.id || mention.userId === mention.mentionedById) continue;
      const member = team.find((m) => m.userId === mention.userId);
      if (member && wants(member, "mention")) {
        alerts.push({ ...base, userId: member.userId, kind: "mention", sourceKey: row.id });
      }
    }
  }
  return alerts;
}

/** Alerts from handoffs (the assistant handed a conversation to people). */
async function alertsFromHandoffs(tx: Tx, now: Date): Promise<AlertRow[]> {
  const cursor = await lockCursor(tx, HANDOFFS_CURSOR);
  const lastAt = (cursor.state as { lastAt?: number }).lastAt ?? now.getTime();
  const since = new Date(Math.min(lastAt, now.getTime()) - ALERT_OVERLAP_MS);
  await tx
    .update(sweepCursors)
    .set({ state: { lastAt: Math.max(lastAt, now.getTime()) }, updatedAt: now })
    .where(eq(sweepCursors.name, HANDOFFS_CURSOR));
  // By account, so the partial (account_id, handed_off_at) index answers.
  const accountIds = (await tx.select({ id: schema.accounts.id }).from(schema.accounts)).map(
    (a) => a.id,
  );
  if (accountIds.length === 0) return [];
  const rows = await tx
    .select({
      id: conversations.id,
      accountId: conversations.accountId,
      assigneeId: conversations.assigneeId,
      handedOffAt: conversations.handedOffAt,
    })
    .from(conversations)
    .where(
      and(
        inArray(conversations.accountId, accountIds),
        isNotNull(conversations.handedOffAt),
        gt(conversations.handedOffAt, since),
        // An agent's reply also hands over; that is no news to the team.
        sql`coalesce(${conversations.handoffReason}, '') <> 'agent_reply'`,
      ),
    );
  if (rows.length === 0) return [];
  const members = await activeMembers(tx, [...new Set(rows.map((r) => r.accountId))]);
  const alerts: AlertRow[] = [];
  for (const row of rows) {
    const team = members.get(row.accountId) ?? [];
    const assignee = row.assigneeId ? team.find((m) => m.userId === row.assigneeId) : undefined;
    // The assignee alone when there is one; else everyone who asked for handoffs.
    const recipients = row.assigneeId ? (assignee ? [assignee] : []) : team;
    for (const member of recipients) {
      if (!wants(member, "handoff")) continue;
      alerts.push({
        accountId: row.accountId,
        conversationId: row.id,
        userId: member.userId,
        kind: "handoff",
        sourceKey: `${row.id}:${row.handedOffAt?.getTime()}`,
      });
    }
  }
  return alerts;
}

/** When an agent's next alert email may go out. */
export async function nextAlertEmailAt(
  runner: Db | Tx,
  { userId, prefs, now }: { userId: string; prefs: ResolvedNotificationPreferences; now: Date },
): Promise<Date> {
  if (prefs.emailDelivery === "hourly") {
    const next = new Date(now);
    next.setUTCMinutes(0, 0, 0);
    next.setUTCHours(next.getUTCHours() + 1);
    return next;
  }
  const [last] = await runner
    .select({ at: max(emailAlerts.emailedAt) })
    .from(emailAlerts)
    // Alerts dropped unsent (a kind switched off) do not count as an email.
    .where(and(eq(emailAlerts.userId, userId), isNotNull(emailAlerts.outboundEmailId)));
  const earliest = last?.at ? last.at.getTime() + ALERT_MIN_INTERVAL_MS : 0;
  return new Date(Math.max(now.getTime() + ALERT_COALESCE_MS, earliest));
}

/**
 * The `email.alerts-sweep` job: records what happened since the last sweep as
 * alerts, and schedules one `email.agent-alerts` job per agent with alerts
 * waiting. Safe to run twice or concurrently (the cursors are locked, alerts
 * unique).
 */
export async function sweepEmailAlerts(
  deps: { db: Db; jobs: AgentAlertJobs },
  { now = new Date() }: { now?: Date } = {},
): Promise<{ created: number; scheduled: number }> {
  return deps.db.transaction(async (tx) => {
    const found = [...(await alertsFromMessages(tx, now)), ...(await alertsFromHandoffs(tx, now))];
    const created = found.length
      ? await tx
          .insert(emailAlerts)
          .values(found)
          .onConflictDoNothing()
          .returning({ id: emailAlerts.id })
      : [];
    // Everyone with alerts waiting, not only the new ones: a delivery job that
    // was lost (dead-lettered) is made up for here.
    const waiting = await tx
      .selectDistinct({ userId: emailAlerts.userId, stored: memberships.notificationPreferences })
      .from(emailAlerts)
      .innerJoin(memberships, eq(memberships.userId, emailAlerts.userId))
      .where(isNull(emailAlerts.emailedAt));
    let scheduled = 0;
    for (const { userId, stored } of waiting) {
      const startAfter = await nextAlertEmailAt(tx, {
        userId,
        prefs: notificationPreferences(stored),
        now,
      });
      // Policy "short": while a job for this agent waits, this one is dropped.
      const id = await deps.jobs.enqueue(
        tx,
        AGENT_ALERTS_JOB,
        { userId },
        { startAfter, singletonKey: userId },
      );
      if (id) scheduled++;
    }
    return { created: created.length, scheduled };
  });
}

/** Who wrote a message, as an agent's email names them. */
function authorOf(
  message: { senderType: string; userName: string | null },
  customerName: string,
): string {
  if (message.senderType === "customer") return customerName;
  if (message.senderType === "bot") return "Assistant";
  return message.userName ?? "Teammate";
}

const clip = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;

/**
 * The `email.agent-alerts` job: every alert waiting for the agent goes into
 * one email (a section per conversation), queued and marked emailed in one
 * transaction, so a retried job never sends twice and an alert recorded while
 * it runs waits for the next email. A disabled agent's alerts are dropped, as
 * are alerts of a kind the agent has since switched off.
 */
export async function deliverAgentAlerts(
  deps: { db: Db; jobs: EmailJobs; settings: EmailSettings },
  { userId, now = new Date() }: { userId: string; now?: Date },
): Promise<{ outboundEmailId: string | null; alerts: number; conversations: number }> {
  const { settings } = deps;
  return deps.db.transaction(async (tx) => {
    const pending = await tx
      .select()
      .from(emailAlerts)
      .where(and(eq(emailAlerts.userId, userId), isNull(emailAlerts.emailedAt)))
      .orderBy(asc(emailAlerts.createdAt), asc(emailAlerts.id))
      .for("update");
    if (pending.length === 0) return { outboundEmailId: null, alerts: 0, conversations: 0 };
    const [member] = await tx
      .select({
        accountId: memberships.accountId,
        disabledAt: memberships.disabledAt,
        stored: memberships.notificationPreferences,
        email: schema.users.email,
        name: schema.users.name,
        companyName: schema.accounts.companyName,
      })
      .from(memberships)
      .innerJoin(schema.users, eq(schema.users.id, memberships.userId))
      .innerJoin(schema.accounts, eq(schema.accounts.id, memberships.accountId))
      .where(eq(memberships.userId, userId))
      .limit(1);
    const drop = async (ids: string[]) => {
      if (ids.length === 0) return;
      await tx.update(emailAlerts).set({ emailedAt: now }).where(inArray(emailAlerts.id, ids));
    };
    if (!member || member.disabledAt) {
      await drop(pending.map((a) => a.id));
      return { outboundEmailId: null, alerts: 0, conversations: 0 };
    }
    const prefs = notificationPreferences(member.stored);
    const wanted = pending.filter(
      (a) => a.accountId === member.accountId && prefs[SWITCH[a.kind as AgentAlertKind]] === true,
    );
    await drop(pending.filter((a) => !wanted.includes(a)).map((a) => a.id));
    if (wanted.length === 0) return { outboundEmailId: null, alerts: 0, conversations: 0 };

    const conversationIds = [...new Set(wanted.map((a) => a.conversationId))];
    const sections: AgentAlertSection[] = [];
    for (const conversationId of conversationIds) {
      const [conversation] = await tx
        .select({
          customerName: schema.customers.name,
          customerEmail: schema.customers.email,
        })
        .from(conversations)
        .innerJoin(schema.customers, eq(schema.customers.id, conversations.customerId))
        .where(
          and(eq(conversations.id, conversationId), eq(conversations.accountId, member.accountId)),
        )
        .limit(1);
      if (!conversation) continue;
      const customerName = conversation.customerName ?? conversation.customerEmail ?? "A visitor";
      const alerted = wanted.filter((a) => a.conversationId === conversationId);
      const messageIds = [...new Set(alerted.flatMap((a) => (a.messageId ? [a.messageId] : [])))];
      const latest = await tx
        .select({
          body: messages.body,
          senderType: messages.senderType,
          userName: schema.users.name,
        })
        .from(messages)
        .leftJoin(schema.users, eq(schema.users.id, messages.userId))
        .where(
          and(
            eq(messages.conversationId, conversationId),
            // The messages alerted about; for a handoff alone, the latest few.
            messageIds.length ? inArray(messages.id, messageIds) : undefined,
          ),
        )
        .orderBy(desc(messages.seq))
        .limit(messageIds.length ? PREVIEWS_PER_CONVERSATION : CONTEXT_MESSAGES);
      const kinds = [
        ...new Set(wanted.filter((a) => a.conversationId === conversationId).map((a) => a.kind)),
      ] as AgentAlertKind[];
      sections.push({
        conversationId,
        customerName,
        kinds,
        earlier: Math.max(0, messageIds.length - latest.length),
        previews: latest
          .reverse()
          .map((m) => ({ author: authorOf(m, customerName), body: clip(m.body, 300) })),
        url: new URL(`/inbox/${conversationId}`, settings.appUrl).toString(),
      });
    }
    const onlyConversation = sections.length === 1 ? sections[0]?.conversationId : undefined;
    const unsubscribe = unsubscribeUrl(settings, {
      kind: "agent",
      id: userId,
      accountId: member.accountId,
    });
    const rendered = await agentAlertsEmail({
      brand: member.companyName,
      agentName: member.name,
      sections,
      delivery: prefs.emailDelivery,
      settingsUrl: new URL("/settings/notifications", settings.appUrl).toString(),
      unsubscribeUrl: unsubscribe,
    });
    const ids = wanted.map((a) => a.id).sort();
    const { id } = await queueEmail(
      tx,
      { jobs: deps.jobs, from: settings.email.from },
      {
        accountId: member.accountId,
        kind: "agent_alert",
        to: member.email,
        userId,
        conversationId: onlyConversation ?? null,
        // About one conversation: the agent's reply by email lands as their reply there.
        replyTo: onlyConversation
          ? replyAddress(
              {
                secretKeyBase: settings.secretKeyBase,
                inboundDomain: settings.email.inboundDomain,
              },
              onlyConversation,
              { type: "user", id: userId },
            )
          : null,
        headers: { ...unsubscribeHeaders(unsubscribe), "Auto-Submitted": "auto-generated" },
        dedupeKey: `agent-alerts:${createHash("sha256").update(ids.join(",")).digest("hex").slice(0, 32)}`,
        ...rendered,
      },
    );
    await tx
      .update(emailAlerts)
      .set({ emailedAt: now, outboundEmailId: id })
      .where(inArray(emailAlerts.id, ids));
    return { outboundEmailId: id, alerts: ids.length, conversations: sections.length };
  });
}
