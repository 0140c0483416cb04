// Email alerts to agents, emails to customers who missed a reply, transcripts
// and unsubscribe, end to end: the real router and database, the real sweeps
// and `email.send` job, and a real SMTP server (smtp-server + mailparser) that
// nodemailer delivers to. Sweeps are called directly for determinism (the
// job handlers do nothing more than call them); the last test lets the cron
// run by itself.
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import {
  ALERT_COALESCE_MS,
  ALERT_MIN_INTERVAL_MS,
  deliverAgentAlerts,
  getNotificationPreferences,
  nextAlertEmailAt,
  notificationPreferences,
  replyAddressSignedFor,
  sweepCustomerReplyEmails,
  sweepEmailAlerts,
  unsubscribeResponse,
  verifyUnsubscribeToken,
} from "@netia/core";
import { schema } from "@netia/db";
import { closeRuntime, type Runtime } from "@netia/runtime";
import { and, eq, isNull, sql } from "drizzle-orm";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  client,
  createTestRuntime,
  newVisitor,
  openEmptyDatabase,
  signUpAccount,
  testConfig,
  testDatabaseKind,
  tokenOfLink,
  uniqueEmail,
} from "../testing";

const WAIT = { timeout: 20_000, interval: 100 };

/** An SMTP server that keeps every message it is sent, parsed. */
async function startSmtpPeer() {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  const to = (address: string) =>
    received.filter((m) => toAddresses(m).includes(address.toLowerCase()));
  return {
    port,
    received,
    to,
    /** The messages sent to `address` once there are `count` of them. */
    async waitFor(address: string, count = 1) {
      await vi.waitFor(() => expect(to(address).length).toBeGreaterThanOrEqual(count), WAIT);
      return to(address);
    },
    /** Drops what was sent to `address` so far (e.g. the invitation that brought them in). */
    forget(address: string) {
      const sent = new Set(to(address));
      received.splice(0, received.length, ...received.filter((m) => !sent.has(m)));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function toAddresses(mail: ParsedMail): string[] {
  const list = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return list.flatMap((a) => a.value.map((v) => (v.address ?? "").toLowerCase()));
}

function header(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(":") + 1).trim();
}

/** The URL inside `List-Unsubscribe: <url>`. */
function unsubscribeLink(mail: ParsedMail): string {
  const value = header(mail, "list-unsubscribe") ?? "";
  const match = /<([^>]+)>/.exec(value);
  if (!match?.[1]) throw new Error(`no List-Unsubscribe URL in ${value}`);
  return match[1];
}

let rt: Runtime;
let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;

beforeAll(async () => {
  smtp = await startSmtpPeer();
  rt = await createTestRuntime({
    config: testConfig({
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(smtp.port),
      SMTP_FROM: "Netia <alerts@netia.test>",
      INBOUND_EMAIL_DOMAIN: "reply.netia.test",
    }),
    jobs: { pollingIntervalSeconds: 0.5 },
  });
});

afterAll(async () => {
  await closeRuntime(rt);
  await smtp.close();
});

const sweep = (now?: Date) => sweepEmailAlerts({ db: rt.db, jobs: rt.jobs }, { now });
const deliver = (userId: string, now?: Date) =>
  deliverAgentAlerts({ db: rt.db, jobs: rt.jobs, settings: rt.config }, { userId, now });
const sweepCustomers = (now?: Date) =>
  sweepCustomerReplyEmails({ db: rt.db, jobs: rt.jobs, settings: rt.config }, { now });

/** An account with its admin and two agents, each logged in. */
async function team() {
  const owner = await signUpAccount(rt, `Alerts ${randomUUID().slice(0, 8)}`);
  const join = async (name: string) => {
    const email = uniqueEmail(name);
    const { url } = await owner.admin.team.invite({ email, role: "agent" });
    const agent = client(rt);
    const { user } = await agent.auth.acceptInvitation({
      token: tokenOfLink(url),
      name,
      password: "agent password 1",
    });
    return { client: agent, id: user.id, email, name };
  };
  const x = await join("Xavier");
  const y = await join("Yolanda");
  // Each was invited by email; the alerts under test come after that.
  for (const agent of [x, y]) {
    await smtp.waitFor(agent.email);
    smtp.forget(agent.email);
  }
  return { ...owner, x, y };
}

type Team = Awaited<ReturnType<typeof team>>;

async function conversationAssignedTo(owner: Team, assigneeId: string | null) {
  const visitor = await newVisitor(rt, owner.account.id);
  const { conversationId } = await visitor.widget.widget.sendMessage({
    body: "hello there",
    clientMessageId: randomUUID(),
  });
  if (assigneeId) {
    await owner.admin.conversations.update({ id: conversationId, assigneeId });
  }
  return { visitor, conversationId };
}

const say = (
  visitor: Awaited<ReturnType<typeof newVisitor>>,
  conversationId: string,
  body: string,
) => visitor.widget.widget.sendMessage({ conversationId, body, clientMessageId: randomUUID() });

async function alertsOf(userId: string) {
  return rt.db.select().from(schema.emailAlerts).where(eq(schema.emailAlerts.userId, userId));
}

/** The waiting `email.agent-alerts` job of an agent (at most one: policy "short"). */
async function waitingAlertJobs(userId: string) {
  const result = (await rt.db.execute(
    sql`select id, start_after from pgboss.job
        where name = 'email.agent-alerts' and singleton_key = ${userId} and state = 'created'`,
  )) as unknown as { rows: { id: string; start_after: Date }[] };
  return result.rows;
}

/** Makes the agent's waiting alert job due now, so the worker runs it as it would at its time. */
async function runAlertJobNow(userId: string) {
  await rt.db.execute(
    sql`update pgboss.job set start_after = now()
        where name = 'email.agent-alerts' and singleton_key = ${userId} and state = 'created'`,
  );
}

describe("alerts to agents", () => {
  it("a burst of 20 customer messages across two sweeps makes one email listing them all", async () => {
    const owner = await team();
    const { visitor, conversationId } = await conversationAssignedTo(owner, owner.x.id);
    const bodies = Array.from({ length: 20 }, (_, i) => `burst message ${i + 1} ${randomUUID()}`);
    const sent: string[] = [];
    for (const body of bodies.slice(0, 10)) {
      sent.push((await say(visitor, conversationId, body)).message.id);
    }
    // The other ten arrive while the first sweep runs, then a second sweep follows.
    const sweptAt = new Date();
    const [first, ...late] = await Promise.all([
      sweep(),
      ...bodies.slice(10).map((body) => say(visitor, conversationId, body)),
    ]);
    sent.push(...late.map((r) => (r as { message: { id: string } }).message.id));
    expect(first).toMatchObject({ created: expect.any(Number) });
    await sweep();

    // No alert is lost: one per message, all waiting.
    const alerts = (await alertsOf(owner.x.id)).filter((a) => a.kind === "assigned_message");
    expect(alerts.filter((a) => sent.includes(a.messageId ?? "")).length).toBe(20);
    expect(alerts.every((a) => a.emailedAt === null)).toBe(true);
    // One job waits for X, due after the coalescing delay (a burst is not mailed piecemeal).
    const [job, ...more] = await waitingAlertJobs(owner.x.id);
    expect(more).toEqual([]);
    expect(new Date(job?.start_after ?? 0).getTime()).toBeGreaterThanOrEqual(
      // (less a few seconds: the cron may have swept just before.)
      sweptAt.getTime() + ALERT_COALESCE_MS - 10_000,
    );

    await runAlertJobNow(owner.x.id);
    const [mail] = await smtp.waitFor(owner.x.email);
    for (const body of bodies) expect(mail?.text).toContain(body);
    expect(mail?.text).toContain(`/inbox/${conversationId}`);
    // About one conversation: a reply-to address signed for X.
    const replyTo = mail?.replyTo?.value[0]?.address ?? "";
    const settings = { secretKeyBase: rt.config.secretKeyBase, inboundDomain: "reply.netia.test" };
    expect(replyAddressSignedFor(settings, replyTo, { type: "user", id: owner.x.id })).toBe(true);
    await vi.waitFor(async () => {
      const rows = await alertsOf(owner.x.id);
      expect(rows.every((a) => a.emailedAt !== null && a.outboundEmailId !== null)).toBe(true);
    }, WAIT);

    // More messages right after: the next email waits 5 minutes after this one.
    const [emailed] = await rt.db
      .select({ at: schema.emailAlerts.emailedAt })
      .from(schema.emailAlerts)
      .where(eq(schema.emailAlerts.userId, owner.x.id))
      .limit(1);
    await say(visitor, conversationId, "one more thing");
    await sweep();
    const [next] = await waitingAlertJobs(owner.x.id);
    expect(new Date(next?.start_after ?? 0).getTime()).toBeGreaterThanOrEqual(
      (emailed?.at?.getTime() ?? 0) + ALERT_MIN_INTERVAL_MS - 1000,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.to(owner.x.email).length).toBe(1);
  });

  it("each kind reaches only the agents who asked for it; a disabled agent gets nothing", async () => {
    const owner = await team();
    const z = await (async () => {
      const email = uniqueEmail("zed");
      const { url } = await owner.admin.team.invite({ email, role: "agent" });
      const agent = client(rt);
      const { user } = await agent.auth.acceptInvitation({
        token: tokenOfLink(url),
        name: "Zed",
        password: "agent password 1",
      });
      return { client: agent, id: user.id, email };
    })();
    // X wants every new conversation; Y keeps the defaults but no mentions; Z
    // wants everything but is disabled; the admin wants no handoffs.
    await owner.x.client.notifications.updatePreferences({ emailNewConversation: true });
    await owner.y.client.notifications.updatePreferences({ emailMention: false });
    await z.client.notifications.updatePreferences({ emailNewConversation: true });
    await owner.admin.notifications.updatePreferences({ emailHandoff: false });
    await owner.admin.team.setDisabled({ userId: z.id, disabled: true });

    // A new conversation, assigned to Y, where the customer writes again.
    const { visitor, conversationId } = await conversationAssignedTo(owner, owner.y.id);
    const again = await say(visitor, conversationId, "are you there?");
    // The admin mentions X and Y in a note.
    const note = await owner.admin.messages.note({
      conversationId,
      body: "@Xavier @Yolanda have a look",
      mentionedUserIds: [owner.x.id, owner.y.id],
    });
    // Another, unassigned conversation is handed to people by the visitor.
    const second = await newVisitor(rt, owner.account.id);
    const { conversationId: handedOff } = await second.widget.widget.sendMessage({
      body: "I need a human",
      clientMessageId: randomUUID(),
    });
    await second.widget.widget.requestHuman({ conversationId: handedOff });
    await sweep();

    const kinds = async (userId: string) =>
      [...new Set((await alertsOf(userId)).map((a) => `${a.kind}:${a.conversationId}`))].sort();
    expect(await kinds(owner.x.id)).toEqual(
      [
        `handoff:${handedOff}`,
        `mention:${conversationId}`,
        `new_conversation:${conversationId}`,
        `new_conversation:${handedOff}`,
      ].sort(),
    );
    expect(await kinds(owner.y.id)).toEqual(
      [`assigned_message:${conversationId}`, `handoff:${handedOff}`].sort(),
    );
    expect(await kinds(owner.user.id)).toEqual([]);
    expect(await kinds(z.id)).toEqual([]);
    const assigned = (await alertsOf(owner.y.id)).filter((a) => a.kind === "assigned_message");
    expect(assigned.map((a) => a.messageId)).toContain(again.message.id);
    const [mention] = (await alertsOf(owner.x.id)).filter((a) => a.kind === "mention");
    expect(mention?.messageId).toBe(note.id);

    // Each gets one email about their alerts; X's covers two conversations.
    for (const agent of [owner.x, owner.y]) await runAlertJobNow(agent.id);
    const [toX] = await smtp.waitFor(owner.x.email);
    expect(toX?.subject).toBe("2 conversations need you");
    expect(toX?.text).toContain("You were mentioned");
    expect(toX?.text).toContain("Handed to the team by the assistant");
    expect(toX?.replyTo).toBeUndefined();
    const [toY] = await smtp.waitFor(owner.y.email);
    expect(toY?.text).toContain("are you there?");
    expect(toY?.text).not.toContain("have a look");

    // A disabled agent's waiting alerts are dropped, never emailed.
    await rt.db.insert(schema.emailAlerts).values({
      accountId: owner.account.id,
      userId: z.id,
      kind: "new_conversation",
      conversationId,
      sourceKey: `manual-${randomUUID()}`,
    });
    expect(await deliver(z.id)).toEqual({ outboundEmailId: null, alerts: 0, conversations: 0 });
    expect(
      (await alertsOf(z.id)).every((a) => a.emailedAt !== null && a.outboundEmailId === null),
    ).toBe(true);
    const zRows = await rt.db
      .select()
      .from(schema.outboundEmails)
      .where(
        and(
          eq(schema.outboundEmails.toAddress, z.email),
          eq(schema.outboundEmails.kind, "agent_alert"),
        ),
      );
    expect(zRows).toEqual([]);
    // Only the invitation that brought Z in ever reaches them.
    expect(smtp.to(z.email).filter((m) => !m.subject?.startsWith("Join "))).toEqual([]);
  });

  it("hourly mode waits for the next top of the hour", async () => {
    const hourly = notificationPreferences({ emailDelivery: "hourly" });
    const at = await nextAlertEmailAt(rt.db, {
      userId: "nobody",
      prefs: hourly,
      now: new Date("2026-03-04T10:20:30.000Z"),
    });
    expect(at.toISOString()).toBe("2026-03-04T11:00:00.000Z");

    const owner = await team();
    await owner.x.client.notifications.updatePreferences({ emailDelivery: "hourly" });
    const { visitor, conversationId } = await conversationAssignedTo(owner, owner.x.id);
    await say(visitor, conversationId, "hourly please");
    const now = new Date();
    await sweep(now);
    const [job] = await waitingAlertJobs(owner.x.id);
    const topOfHour = new Date(now);
    topOfHour.setUTCMinutes(0, 0, 0);
    topOfHour.setUTCHours(topOfHour.getUTCHours() + 1);
    expect(new Date(job?.start_after ?? 0).toISOString()).toBe(topOfHour.toISOString());
    // Due at the hour, it sends the digest.
    await runAlertJobNow(owner.x.id);
    const [mail] = await smtp.waitFor(owner.x.email);
    expect(mail?.text).toContain("hourly digest");
    expect(mail?.text).toContain("hourly please");
  });

  it.skipIf(testDatabaseKind() === "pglite")(
    "a message committed with a lower seq after a sweep passed it is still alerted",
    async () => {
      const owner = await team();
      // Two conversations: a message write locks its conversation's row.
      const { visitor, conversationId } = await conversationAssignedTo(owner, owner.x.id);
      const other = await conversationAssignedTo(owner, owner.x.id);
      let commit!: () => void;
      const gate = new Promise<void>((resolve) => {
        commit = resolve;
      });
      let insertedSeq = 0;
      let inserted!: () => void;
      const insertedYet = new Promise<void>((resolve) => {
        inserted = resolve;
      });
      // Transaction 1 takes its seq, then waits before committing.
      const slow = rt.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(schema.messages)
          .values({
            accountId: owner.account.id,
            conversationId,
            senderType: "customer",
            customerId: visitor.customerId,
            body: "slow to commit",
          })
          .returning({ id: schema.messages.id, seq: schema.messages.seq });
        insertedSeq = Number(row?.seq);
        inserted();
        await gate;
        return row;
      });
      await insertedYet;
      // Transaction 2 takes a higher seq and commits at once; a sweep sees it.
      const fast = await say(other.visitor, other.conversationId, "quick one");
      expect(fast.message.seq).toBeGreaterThan(insertedSeq);
      const now = new Date();
      await sweep(now);
      const seen = (await alertsOf(owner.x.id)).map((a) => a.messageId);
      expect(seen).toContain(fast.message.id);
      // Then the lower seq commits; the next sweep, a minute on, re-reads the overlap.
      commit();
      const slowRow = await slow;
      expect(seen).not.toContain(slowRow?.id);
      await sweep(new Date(now.getTime() + 60_000));
      expect((await alertsOf(owner.x.id)).map((a) => a.messageId)).toContain(slowRow?.id);
    },
  );
});

describe("on a fresh installation", () => {
  it("the first sweeps alert about what is new, never about the history before them", async () => {
    const { database, dispose } = await openEmptyDatabase();
    // No workers: only the sweeps called here run.
    const fresh = await createTestRuntime({ database, jobs: { work: false } });
    try {
      const owner = await signUpAccount(fresh);
      const visitor = await newVisitor(fresh, owner.account.id);
      const { conversationId } = await visitor.widget.widget.sendMessage({
        body: "from long ago",
        clientMessageId: randomUUID(),
      });
      await owner.admin.conversations.update({ id: conversationId, assigneeId: owner.user.id });
      await visitor.widget.widget.sendMessage({
        conversationId,
        body: "also old",
        clientMessageId: randomUUID(),
      });
      await fresh.db
        .update(schema.messages)
        .set({ createdAt: new Date(Date.now() - 3600_000) })
        .where(eq(schema.messages.conversationId, conversationId));
      const sweepFresh = (now?: Date) =>
        sweepEmailAlerts({ db: fresh.db, jobs: fresh.jobs }, { now });
      expect(await sweepFresh()).toMatchObject({ created: 0 });
      const { message } = await visitor.widget.widget.sendMessage({
        conversationId,
        body: "brand new",
        clientMessageId: randomUUID(),
      });
      await sweepFresh();
      await sweepFresh(new Date(Date.now() + 60_000));
      const alerts = await fresh.db.select().from(schema.emailAlerts);
      expect(alerts.map((a) => `${a.userId}:${a.kind}:${a.messageId}`)).toEqual([
        `${owner.user.id}:assigned_message:${message.id}`,
      ]);
    } finally {
      // dispose() closes the database and drops it.
      await fresh.jobs.stop();
      await fresh.realtime.close();
      await dispose();
    }
  });
});

describe("emails to customers", () => {
  it("a customer who has not seen the reply after N minutes gets one email with the conversation, no notes", async () => {
    const owner = await team();
    await rt.db
      .update(schema.accounts)
      .set({ customerEmailAfterMinutes: 2, emailSenderName: "Acme Support" })
      .where(eq(schema.accounts.id, owner.account.id));
    const { visitor, conversationId } = await conversationAssignedTo(owner, null);
    const customerEmail = uniqueEmail("customer");
    await owner.admin.customers.update({
      id: visitor.customerId,
      name: "Carla",
      email: customerEmail,
    });
    const reply = `Here is the answer ${randomUUID()}`;
    await owner.admin.messages.reply({ conversationId, body: reply });
    await owner.admin.messages.note({ conversationId, body: "internal: she is a VIP" });
    // A second customer sees the reply in time.
    const attentive = await newVisitor(rt, owner.account.id);
    const { conversationId: seenConversation } = await attentive.widget.widget.sendMessage({
      body: "question",
      clientMessageId: randomUUID(),
    });
    const attentiveEmail = uniqueEmail("attentive");
    await owner.admin.customers.update({ id: attentive.customerId, email: attentiveEmail });
    const answer = await owner.admin.messages.reply({
      conversationId: seenConversation,
      body: "answered",
    });
    await attentive.widget.widget.markSeen({
      conversationId: seenConversation,
      upToSeq: answer.seq,
    });

    const now = new Date();
    expect(await sweepCustomers(now)).toBe(0);
    const later = new Date(now.getTime() + 3 * 60_000);
    expect(await sweepCustomers(later)).toBe(1);
    // The same unseen reply is emailed once, however often the sweep runs.
    expect(await sweepCustomers(new Date(later.getTime() + 60_000))).toBe(0);

    const [mail, ...more] = await smtp.waitFor(customerEmail);
    expect(more).toEqual([]);
    expect(mail?.subject).toBe("New reply from Acme Support");
    expect(mail?.text).toContain("hello there");
    expect(mail?.text).toContain(reply);
    expect(mail?.text).not.toContain("VIP");
    expect(mail?.html).not.toContain("VIP");
    const replyTo = mail?.replyTo?.value[0]?.address ?? "";
    const settings = { secretKeyBase: rt.config.secretKeyBase, inboundDomain: "reply.netia.test" };
    expect(
      replyAddressSignedFor(settings, replyTo, { type: "customer", id: visitor.customerId }),
    ).toBe(true);
    expect(header(mail as ParsedMail, "list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(unsubscribeLink(mail as ParsedMail)).toContain("/api/email/unsubscribe?token=");
    expect(smtp.to(attentiveEmail)).toEqual([]);

    // A new reply, unseen again: a new email with both.
    const second = `And one more detail ${randomUUID()}`;
    await owner.admin.messages.reply({ conversationId, body: second });
    expect(await sweepCustomers(new Date(Date.now() + 3 * 60_000))).toBe(1);
    const mails = await smtp.waitFor(customerEmail, 2);
    expect(mails[1]?.text).toContain(reply);
    expect(mails[1]?.text).toContain(second);
  });
});

describe("transcripts", () => {
  it("an agent sends one to the customer, public messages only", async () => {
    const owner = await team();
    const { visitor, conversationId } = await conversationAssignedTo(owner, null);
    const customerEmail = uniqueEmail("transcript");
    await owner.admin.customers.update({ id: visitor.customerId, email: customerEmail });
    await owner.admin.messages.reply({ conversationId, body: "public answer" });
    await owner.admin.messages.note({ conversationId, body: "private remark" });
    expect(await owner.x.client.conversations.sendTranscript({ conversationId })).toEqual({
      to: customerEmail,
      queued: true,
    });
    // The same transcript to the same address is not queued twice.
    expect(await owner.x.client.conversations.sendTranscript({ conversationId })).toEqual({
      to: customerEmail,
      queued: false,
    });
    const [mail] = await smtp.waitFor(customerEmail);
    expect(mail?.text).toContain("hello there");
    expect(mail?.text).toContain("public answer");
    expect(mail?.text).not.toContain("private remark");

    const elsewhere = uniqueEmail("elsewhere");
    await owner.admin.conversations.sendTranscript({ conversationId, to: elsewhere });
    await smtp.waitFor(elsewhere);

    // Another account cannot send it.
    const rival = await signUpAccount(rt);
    await expect(
      rival.admin.conversations.sendTranscript({ conversationId, to: uniqueEmail("thief") }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a visitor requests their own, and the address they give is saved; never another's", async () => {
    const owner = await team();
    const { visitor, conversationId } = await conversationAssignedTo(owner, null);
    await owner.admin.messages.reply({ conversationId, body: "reply for the visitor" });
    await expect(visitor.widget.widget.requestTranscript({ conversationId })).rejects.toMatchObject(
      { code: "BAD_REQUEST" },
    );
    const email = uniqueEmail("visitor");
    expect(await visitor.widget.widget.requestTranscript({ conversationId, email })).toEqual({
      to: email,
      queued: true,
    });
    const [mail] = await smtp.waitFor(email);
    expect(mail?.text).toContain("reply for the visitor");
    const [customer] = await rt.db
      .select({ email: schema.customers.email })
      .from(schema.customers)
      .where(eq(schema.customers.id, visitor.customerId));
    expect(customer?.email).toBe(email);

    const other = await newVisitor(rt, owner.account.id);
    await expect(
      other.widget.widget.requestTranscript({ conversationId, email: uniqueEmail("nosy") }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      visitor.widget.widget.requestTranscript({ conversationId, email: "not an email" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("unsubscribe", () => {
  const oneClick = (url: string) =>
    unsubscribeResponse(
      { db: rt.db, secretKeyBase: rt.config.secretKeyBase },
      new Request(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      }),
    );
  const open = (url: string) =>
    unsubscribeResponse(
      { db: rt.db, secretKeyBase: rt.config.secretKeyBase },
      new Request(url, { method: "GET" }),
    );

  it("an agent's one-click POST turns their email alerts off; GET and a forged token change nothing", async () => {
    const owner = await team();
    const { visitor, conversationId } = await conversationAssignedTo(owner, owner.y.id);
    await say(visitor, conversationId, "ping");
    await sweep();
    await runAlertJobNow(owner.y.id);
    const [mail] = await smtp.waitFor(owner.y.email);
    const url = unsubscribeLink(mail as ParsedMail);
    expect(header(mail as ParsedMail, "list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(mail?.html).toContain(url.replace(/&/g, "&amp;"));
    const prefs = () =>
      getNotificationPreferences(rt.db, { accountId: owner.account.id, userId: owner.y.id });
    const before = await prefs();

    // A mail scanner following the link: a confirmation page, nothing else.
    const page = await open(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('method="post"');
    expect(await prefs()).toEqual(before);

    // A token changed by hand is refused.
    const token = new URL(url).searchParams.get("token") ?? "";
    const target = verifyUnsubscribeToken(rt.config.secretKeyBase, token);
    expect(target).toEqual({ kind: "agent", id: owner.y.id, accountId: owner.account.id });
    const forgedPayload = Buffer.from(
      JSON.stringify({ k: "agent", i: owner.x.id, a: owner.account.id }),
    ).toString("base64url");
    const forged = new URL(url);
    forged.searchParams.set("token", `${forgedPayload}.${token.split(".")[1]}`);
    expect((await oneClick(forged.toString())).status).toBe(400);
    expect(
      (await getNotificationPreferences(rt.db, { accountId: owner.account.id, userId: owner.x.id }))
        .emailAssignedMessage,
    ).toBe(true);

    const response = await oneClick(url);
    expect(response.status).toBe(200);
    expect(await prefs()).toMatchObject({
      emailNewConversation: false,
      emailAssignedMessage: false,
      emailMention: false,
      emailHandoff: false,
    });
    // Nothing more is recorded for Y.
    await say(visitor, conversationId, "ping again");
    await sweep();
    expect((await alertsOf(owner.y.id)).filter((a) => a.emailedAt === null)).toEqual([]);
  });

  it("a customer's one-click POST stops the emails about their conversations", async () => {
    const owner = await team();
    await rt.db
      .update(schema.accounts)
      .set({ customerEmailAfterMinutes: 1 })
      .where(eq(schema.accounts.id, owner.account.id));
    const { visitor, conversationId } = await conversationAssignedTo(owner, null);
    const customerEmail = uniqueEmail("leaving");
    await owner.admin.customers.update({ id: visitor.customerId, email: customerEmail });
    await owner.admin.messages.reply({ conversationId, body: "first answer" });
    expect(await sweepCustomers(new Date(Date.now() + 2 * 60_000))).toBe(1);
    const [mail] = await smtp.waitFor(customerEmail);
    const url = unsubscribeLink(mail as ParsedMail);

    const unsubscribed = async () =>
      (
        await rt.db
          .select({ at: schema.customers.emailUnsubscribedAt })
          .from(schema.customers)
          .where(eq(schema.customers.id, visitor.customerId))
      )[0]?.at ?? null;
    expect((await open(url)).status).toBe(200);
    expect(await unsubscribed()).toBeNull();
    expect((await oneClick(`${url}x`)).status).toBe(400);
    expect(await unsubscribed()).toBeNull();
    expect((await oneClick(url)).status).toBe(200);
    expect(await unsubscribed()).not.toBeNull();

    await owner.admin.messages.reply({ conversationId, body: "second answer" });
    expect(await sweepCustomers(new Date(Date.now() + 2 * 60_000))).toBe(0);
  });
});

describe("on the cron", () => {
  it("the minute sweep records alerts and schedules the agent's email by itself", async () => {
    const owner = await team();
    const { visitor, conversationId } = await conversationAssignedTo(owner, owner.x.id);
    const { message } = await say(visitor, conversationId, "found by the cron");
    await vi.waitFor(
      async () => {
        const rows = await rt.db
          .select()
          .from(schema.emailAlerts)
          .where(
            and(
              eq(schema.emailAlerts.userId, owner.x.id),
              eq(schema.emailAlerts.messageId, message.id),
              isNull(schema.emailAlerts.emailedAt),
            ),
          );
        expect(rows.length).toBe(1);
        expect((await waitingAlertJobs(owner.x.id)).length).toBe(1);
      },
      { timeout: 130_000, interval: 1000 },
    );
    await runAlertJobNow(owner.x.id);
    const [mail] = await smtp.waitFor(owner.x.email);
    expect(mail?.text).toContain("found by the cron");
    await vi.waitFor(async () => {
      const rows = await rt.db
        .select({ status: schema.outboundEmails.status })
        .from(schema.outboundEmails)
        .where(eq(schema.outboundEmails.userId, owner.x.id));
      expect(rows.map((r) => r.status)).toEqual(["sent"]);
    }, WAIT);
  }, 150_000);
});
