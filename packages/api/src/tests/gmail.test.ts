// Gmail as a channel through the real router, routes' handlers and job queue,
// against a fake of the Gmail API and Google's token endpoint and a real SMTP
// peer: connecting through the consent screen and the callback, the first
// sync as a job, "Reconnect needed" when Google revokes the tokens, and an
// agent's reply to an email conversation reaching the customer, through Gmail
// in the same thread or over SMTP with the threading headers, once.
import type { AddressInfo } from "node:net";
import { storeAttachment } from "@netia/core";
import { schema } from "@netia/db";
import { decryptToken } from "@netia/gmail";
import { closeRuntime, type Runtime } from "@netia/runtime";
import { type FakeGmail, startFakeGmail } from "@netia/testkit/gmail";
import { and, eq, sql } from "drizzle-orm";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handleGmailCallback } from "../gmail-callback";
import { type Client, createTestRuntime, newVisitor, signUpAccount, testConfig } from "../testing";

const WAIT = { timeout: 20_000, interval: 100 };
const CLIENT = { clientId: "netia-test.apps.googleusercontent.com", clientSecret: "s3cret" };
const INBOUND_DOMAIN = "reply.netia.test";

/** A minimal SMTP server that keeps every message it is given, parsed. */
async function startSmtpPeer() {
  const received: { mail: ParsedMail; at: number; rcpt: string[] }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({
            mail,
            at: Date.now(),
            rcpt: session.envelope.rcptTo.map((r) => r.address),
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let rt: Runtime;
let fake: FakeGmail;
let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;

beforeAll(async () => {
  fake = await startFakeGmail(CLIENT);
  smtp = await startSmtpPeer();
  rt = await createTestRuntime({
    config: testConfig({
      GOOGLE_CLIENT_ID: CLIENT.clientId,
      GOOGLE_CLIENT_SECRET: CLIENT.clientSecret,
      GOOGLE_API_URL: fake.apiUrl,
      GOOGLE_OAUTH_URL: fake.oauthUrl,
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(smtp.port),
      SMTP_FROM: "Acme Support <support@netia.test>",
      INBOUND_EMAIL_DOMAIN: INBOUND_DOMAIN,
    }),
    jobs: { pollingIntervalSeconds: 0.5, retry: { "gmail.sync": { retryDelay: 1 } } },
  });
});
afterAll(async () => {
  await closeRuntime(rt);
  await fake.close();
  await smtp.close();
});

let mailboxes = 0;
const newMailbox = () => `support-${Date.now().toString(36)}-${mailboxes++}@acme.test`;

/** The whole browser round trip: start → Google's consent (the fake approves) → callback. */
async function connectThroughConsent(admin: Client, inboxId: string, address: string) {
  const { url } = await admin.gmail.start({ inboxId, loginHint: address });
  const consent = await fetch(url, { redirect: "manual" });
  expect(consent.status).toBe(302);
  const back = consent.headers.get("location") as string;
  expect(back.startsWith(`${rt.config.appUrl}/api/integrations/gmail/callback?`)).toBe(true);
  const { redirect } = await handleGmailCallback(rt, {
    url: back,
    headers: new Headers({ cookie: admin.cookieHeader() }),
  });
  return { redirect: new URL(redirect), callbackUrl: back };
}

function customerMail(from: string, to: string, subject: string, text: string) {
  const messageId = `<${Date.now()}.${Math.random().toString(36).slice(2)}@customer.test>`;
  const raw = [
    `From: Carla Customer <${from}>`,
    `To: ${to}`,
    `Subject: ${subject}`,
    `Message-ID: ${messageId}`,
    `Date: ${new Date().toUTCString()}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    text,
  ].join("\r\n");
  return { raw, messageId };
}

async function jobsFor(name: string, messageId: string) {
  const result = (await rt.db.execute(
    sql`select state from pgboss.job where name = ${name} and data->>'messageId' = ${messageId}`,
  )) as unknown as { rows: { state: string }[] };
  return result.rows;
}

describe("connecting a mailbox", () => {
  it("goes through Google's consent and the callback, stores the tokens encrypted, and syncs at once", async () => {
    const owner = await signUpAccount(rt);
    const address = newMailbox();
    const first = customerMail("carla@customer.test", address, "Hello there", "First email");
    fake.mailbox(address).add(first.raw);

    const { redirect } = await connectThroughConsent(owner.admin, owner.inbox.id, address);
    expect(redirect.pathname).toBe("/settings/integrations/gmail");
    expect(redirect.searchParams.get("connected")).toBe(address);

    const [row] = await rt.db
      .select()
      .from(schema.gmailConnections)
      .where(eq(schema.gmailConnections.accountId, owner.account.id));
    expect(row?.emailAddress).toBe(address);
    expect(row?.inboxId).toBe(owner.inbox.id);
    expect(row?.connectedById).toBe(owner.user.id);
    // Not the plaintext: no token prefix anywhere in the row's token columns.
    expect(row?.refreshTokenEncrypted).toMatch(/^v1\./);
    expect(`${row?.refreshTokenEncrypted} ${row?.accessTokenEncrypted}`).not.toMatch(/1\/\/|ya29/);
    expect(decryptToken(rt.config.secretKeyBase, row?.refreshTokenEncrypted as string)).toMatch(
      /^1\/\/fake-/,
    );

    // The first sync ran as a job: the email is a conversation.
    await vi.waitFor(async () => {
      const conversations = await rt.db
        .select({ subject: schema.conversations.subject, channel: schema.conversations.channel })
        .from(schema.conversations)
        .where(eq(schema.conversations.accountId, owner.account.id));
      expect(conversations).toContainEqual({ subject: "Hello there", channel: "email" });
    }, WAIT);

    const listed = await owner.admin.gmail.list();
    expect(listed.configured).toBe(true);
    expect(listed.connections).toEqual([
      expect.objectContaining({
        emailAddress: address,
        inboxName: owner.inbox.name,
        status: "active",
        lastError: null,
      }),
    ]);
    await vi.waitFor(async () => {
      expect((await owner.admin.gmail.list()).connections[0]?.lastSyncedAt).not.toBeNull();
    }, WAIT);
  });

  it("refuses a callback whose sign-in another admin started, and keeps the list to admins of the account", async () => {
    const owner = await signUpAccount(rt);
    const stranger = await signUpAccount(rt);
    const address = newMailbox();
    const { url } = await owner.admin.gmail.start({ inboxId: owner.inbox.id, loginHint: address });
    const back = (await fetch(url, { redirect: "manual" })).headers.get("location") as string;
    const { redirect } = await handleGmailCallback(rt, {
      url: back,
      headers: new Headers({ cookie: stranger.admin.cookieHeader() }),
    });
    expect(new URL(redirect).searchParams.get("error")).toMatch(/someone else/);
    expect((await stranger.admin.gmail.list()).connections).toEqual([]);
    expect((await owner.admin.gmail.list()).connections).toEqual([]);
    await expect(stranger.admin.gmail.start({ inboxId: owner.inbox.id })).rejects.toThrow(
      /not found/i,
    );
  });

  it("shows 'reconnect needed' with Google's error once the tokens are revoked, until the admin reconnects", async () => {
    const owner = await signUpAccount(rt);
    const stranger = await signUpAccount(rt);
    const address = newMailbox();
    await connectThroughConsent(owner.admin, owner.inbox.id, address);
    const [connection] = (await owner.admin.gmail.list()).connections;
    const id = connection?.id as string;
    await vi.waitFor(async () => {
      expect((await owner.admin.gmail.list()).connections[0]?.lastSyncedAt).not.toBeNull();
    }, WAIT);

    fake.revoke(address);
    await rt.jobs.enqueue(rt.db, "gmail.sync", { connectionId: id });
    await vi.waitFor(async () => {
      const [shown] = (await owner.admin.gmail.list()).connections;
      expect(shown).toMatchObject({ status: "reconnect_required" });
      expect(shown?.lastError).toMatch(/invalid_grant/);
    }, WAIT);

    // Another account cannot touch it.
    await expect(stranger.admin.gmail.disconnect({ id })).rejects.toThrow(/not found/i);

    // Reconnecting updates the same connection and clears the error.
    await connectThroughConsent(owner.admin, owner.inbox.id, address);
    const [again] = (await owner.admin.gmail.list()).connections;
    expect(again).toMatchObject({ id, status: "active", lastError: null });

    await owner.admin.gmail.disconnect({ id });
    expect((await owner.admin.gmail.list()).connections).toEqual([]);
  });
});

describe("an agent's reply to an email conversation", () => {
  it("goes out through Gmail in the customer's thread, with the threading headers and its attachment, once", async () => {
    const owner = await signUpAccount(rt);
    const address = newMailbox();
    const mailbox = fake.mailbox(address);
    const first = customerMail("dora@customer.test", address, "Broken export", "The CSV is empty.");
    const incoming = mailbox.add(first.raw);
    await connectThroughConsent(owner.admin, owner.inbox.id, address);
    let conversationId = "";
    await vi.waitFor(async () => {
      const [found] = await rt.db
        .select({ id: schema.conversations.id })
        .from(schema.conversations)
        .where(eq(schema.conversations.accountId, owner.account.id));
      expect(found).toBeDefined();
      conversationId = found?.id as string;
    }, WAIT);

    const file = await storeAttachment(rt.db, {
      accountId: owner.account.id,
      uploader: { userId: owner.user.id },
      filename: "steps.pdf",
      contentType: "application/pdf",
      body: [Buffer.from("%PDF-1.4 steps")],
    });
    const reply = await owner.admin.messages.reply({
      conversationId,
      body: "Sorry! These steps fix it.",
      attachmentIds: [file.id],
    });

    await vi.waitFor(
      () => expect(fake.sent.filter((s) => s.mailbox === address)).toHaveLength(1),
      WAIT,
    );
    const [out] = fake.sent.filter((s) => s.mailbox === address);
    expect(out?.threadId).toBe(incoming.threadId);
    const mail = await simpleParser(out?.raw as string);
    expect(mail.inReplyTo).toBe(first.messageId);
    expect(mail.references).toContain(first.messageId);
    expect(mail.subject).toBe("Re: Broken export");
    expect(mail.text?.trim()).toBe("Sorry! These steps fix it.");
    expect(mail.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([
      ["steps.pdf", "%PDF-1.4 steps"],
    ]);

    // The same job again (a retry) sends nothing more.
    await vi.waitFor(async () => {
      expect(await jobsFor("email.deliver-reply", reply.id)).toEqual([{ state: "completed" }]);
    }, WAIT);
    await rt.jobs.enqueue(rt.db, "email.deliver-reply", {
      accountId: owner.account.id,
      conversationId,
      messageId: reply.id,
    });
    await vi.waitFor(async () => {
      expect((await jobsFor("email.deliver-reply", reply.id)).map((j) => j.state)).toEqual([
        "completed",
        "completed",
      ]);
    }, WAIT);
    expect(fake.sent.filter((s) => s.mailbox === address)).toHaveLength(1);

    // A private note stays private: no job, no email.
    const note = await owner.admin.messages.note({ conversationId, body: "internal only" });
    expect(await jobsFor("email.deliver-reply", note.id)).toEqual([]);
  });

  it("goes out over SMTP with In-Reply-To, References and a signed reply-to when the conversation has no Gmail thread", async () => {
    const owner = await signUpAccount(rt);
    const accountId = owner.account.id;
    const [customer] = await rt.db
      .insert(schema.customers)
      .values({ accountId, email: "erin@customer.test", name: "Erin" })
      .returning({ id: schema.customers.id });
    const [conversation] = await rt.db
      .insert(schema.conversations)
      .values({
        accountId,
        inboxId: owner.inbox.id,
        customerId: customer?.id as string,
        channel: "email",
        subject: "Order 1234",
        answeredBy: "people",
      })
      .returning({ id: schema.conversations.id });
    const conversationId = conversation?.id as string;
    const received = `<order-1234.${Date.now()}@customer.test>`;
    await rt.db.insert(schema.inboundEmails).values({
      accountId,
      messageIdHeader: received,
      source: "smtp",
      fromAddress: "erin@customer.test",
      subject: "Order 1234",
      conversationId,
      outcome: "accepted",
    });

    const reply = await owner.admin.messages.reply({ conversationId, body: "It ships today." });
    await vi.waitFor(() => {
      expect(smtp.received.filter((r) => r.rcpt.includes("erin@customer.test"))).toHaveLength(1);
    }, WAIT);
    const { mail } = smtp.received.find((r) => r.rcpt.includes("erin@customer.test")) as {
      mail: ParsedMail;
    };
    expect(mail.subject).toBe("Re: Order 1234");
    expect(mail.inReplyTo).toBe(received);
    expect(mail.references).toBe(received);
    expect(mail.text?.trim()).toBe("It ships today.");
    const replyTo = mail.replyTo?.value[0]?.address ?? "";
    expect(replyTo.endsWith(`@${INBOUND_DOMAIN}`)).toBe(true);

    const [row] = await rt.db
      .select()
      .from(schema.outboundEmails)
      .where(
        and(
          eq(schema.outboundEmails.accountId, accountId),
          eq(schema.outboundEmails.conversationId, conversationId),
        ),
      );
    expect(row).toMatchObject({
      kind: "conversation_reply",
      dedupeKey: `reply:${reply.id}`,
      status: "sent",
      toAddress: "erin@customer.test",
    });
    expect(mail.messageId).toBe(row?.messageIdHeader);

    // A second reply references both the customer's email and ours.
    await owner.admin.messages.reply({ conversationId, body: "Tracking: 42." });
    await vi.waitFor(() => {
      expect(smtp.received.filter((r) => r.rcpt.includes("erin@customer.test"))).toHaveLength(2);
    }, WAIT);
    const second = smtp.received.filter((r) => r.rcpt.includes("erin@customer.test"))[1]?.mail;
    expect(second?.inReplyTo).toBe(received);
    expect(second?.references).toEqual([received, row?.messageIdHeader]);

    // Running the first reply's job again queues and sends nothing more.
    await rt.jobs.enqueue(rt.db, "email.deliver-reply", {
      accountId,
      conversationId,
      messageId: reply.id,
    });
    await vi.waitFor(async () => {
      expect(
        (await jobsFor("email.deliver-reply", reply.id)).every((j) => j.state === "completed"),
      ).toBe(true);
      expect(await jobsFor("email.deliver-reply", reply.id)).toHaveLength(2);
    }, WAIT);
    // One reply sent twice at once (a double click, a client retry): one message, one email.
    const clientMessageId = crypto.randomUUID();
    const [a, b] = await Promise.all([
      owner.admin.messages.reply({ conversationId, body: "Once only.", clientMessageId }),
      owner.admin.messages.reply({ conversationId, body: "Once only.", clientMessageId }),
    ]);
    expect(a.id).toBe(b.id);
    expect(await jobsFor("email.deliver-reply", a.id)).toHaveLength(1);
    await vi.waitFor(() => {
      expect(smtp.received.filter((r) => r.rcpt.includes("erin@customer.test"))).toHaveLength(3);
    }, WAIT);

    const rows = await rt.db
      .select({ id: schema.outboundEmails.id })
      .from(schema.outboundEmails)
      .where(eq(schema.outboundEmails.conversationId, conversationId));
    expect(rows).toHaveLength(3);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(smtp.received.filter((r) => r.rcpt.includes("erin@customer.test"))).toHaveLength(3);
  });

  it("is swept every minute: a sync per active mailbox", async () => {
    const schedules = (await rt.db.execute(
      sql`select name, cron from pgboss.schedule where name = 'gmail.sync-sweep'`,
    )) as unknown as { rows: { name: string; cron: string }[] };
    expect(schedules.rows).toEqual([{ name: "gmail.sync-sweep", cron: "* * * * *" }]);
  });

  it("leaves chat replies on their one statement: no delivery job", async () => {
    const owner = await signUpAccount(rt);
    const visitor = await newVisitor(rt, owner.account.id);
    const { conversationId } = await visitor.widget.widget.sendMessage({
      body: "hi",
      clientMessageId: crypto.randomUUID(),
    });
    const reply = await owner.admin.messages.reply({ conversationId, body: "hello" });
    expect(await jobsFor("email.deliver-reply", reply.id)).toEqual([]);
  });
});
