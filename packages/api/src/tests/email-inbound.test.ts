// Replies by email and email conversations, end to end: raw messages built by
// nodemailer reach Netia over real SMTP (the inbound listener the runtime
// starts) and over real HTTP (the Mailgun-format endpoint behind a local HTTP
// server), and land as messages the dashboard and the widget see.
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { inboxAddress, replyAddress } from "@netia/core";
import { schema } from "@netia/db";
import { signMailgunWebhook } from "@netia/email";
import type { Runtime } from "@netia/runtime";
import { and, eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import MailComposer from "nodemailer/lib/mail-composer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleMailgunInbound } from "../inbound-email";
import { createTestRuntime, newVisitor, signUpAccount, testConfig } from "../testing";
import { reader, subscriber } from "./streams";

const DOMAIN = "reply.netia.test";
const SIGNING_KEY = "mailgun-signing-key-for-tests";

let rt: Runtime;
let http: Server;
let endpoint: string;

beforeAll(async () => {
  const base = testConfig({ INBOUND_EMAIL_DOMAIN: DOMAIN, INBOUND_EMAIL_SIGNING_KEY: SIGNING_KEY });
  // Port 0: the listener picks a free port and reports it.
  const config = { ...base, host: "127.0.0.1", email: { ...base.email, inboundSmtpPort: 0 } };
  rt = await createTestRuntime({ config, listenForMail: true });
  // The route handler of apps/web, behind a plain Node HTTP server.
  http = createServer((req, res) => {
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: Readable.toWeb(req) as ReadableStream,
      duplex: "half",
    } as RequestInit);
    void handleMailgunInbound(rt, request).then(async (response) => {
      res.writeHead(response.status, { "content-type": "application/json" });
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api/email/inbound/mime`;
});

afterAll(async () => {
  await new Promise((resolve) => http.close(resolve));
  await rt.inboundSmtp?.close();
  await rt.database.close();
});

const settings = () => ({ secretKeyBase: rt.config.secretKeyBase, inboundDomain: DOMAIN });

type Mail = {
  from: string;
  to: string;
  subject?: string;
  text?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  headers?: Record<string, string>;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
};

/** The raw RFC 5322 bytes nodemailer makes of a message. */
function compose(mail: Mail): Promise<Buffer> {
  return new MailComposer({
    subject: "Re: Your conversation with Acme",
    messageId: `<${randomUUID()}@mail.example.com>`,
    ...mail,
  })
    .compile()
    .build();
}

const transport = () =>
  nodemailer.createTransport({
    host: "127.0.0.1",
    port: rt.inboundSmtp?.port,
    secure: false,
    ignoreTLS: true,
  });

/** Sends raw bytes over SMTP to the inbound listener. */
async function sendSmtp(raw: Buffer, from: string, to: string[]) {
  return transport().sendMail({ envelope: { from, to }, raw });
}

/** Posts raw bytes to the endpoint as Mailgun's forward(".../mime") would. */
async function postHttp(
  raw: Buffer,
  options: { timestamp?: number; token?: string; key?: string; recipient?: string } = {},
) {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const token = options.token ?? randomUUID().replace(/-/g, "");
  const signed = signMailgunWebhook(options.key ?? SIGNING_KEY, timestamp, token);
  const form = new FormData();
  form.set("timestamp", signed.timestamp);
  form.set("token", signed.token);
  form.set("signature", signed.signature);
  if (options.recipient) form.set("recipient", options.recipient);
  form.set(
    "body-mime",
    new Blob([new Uint8Array(raw)], { type: "message/rfc822" }),
    "message.mime",
  );
  const response = await fetch(endpoint, { method: "POST", body: form });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function inboundRows(accountId: string, messageIdHeader: string) {
  return rt.db
    .select()
    .from(schema.inboundEmails)
    .where(
      and(
        eq(schema.inboundEmails.accountId, accountId),
        eq(schema.inboundEmails.messageIdHeader, messageIdHeader),
      ),
    );
}

/** An account with a visitor's chat conversation, and its customer's reply-to address. */
async function conversationWithVisitor() {
  const team = await signUpAccount(rt);
  const visitor = await newVisitor(rt, team.account.id);
  const { conversationId } = await visitor.widget.widget.sendMessage({
    body: "My invoices page is blank",
    clientMessageId: randomUUID(),
  });
  const customerAddress = replyAddress(settings(), conversationId, {
    type: "customer",
    id: visitor.customerId,
  }) as string;
  return { ...team, visitor, conversationId, customerAddress };
}

const QUOTED_REPLY =
  "Clearing the cache fixed it, thanks!\n\nOn Tue, Dec 1, 2026 at 9:58 AM Acme <support@acme.test> wrote:\n> Hi, try clearing the cache.\n> Reply to this email or open the chat.\n";

describe("replies by email", () => {
  it("lands a customer's reply in its conversation without the quote, once however it is delivered", async () => {
    const { admin, account, conversationId, customerAddress } = await conversationWithVisitor();
    const messageId = `<${randomUUID()}@mail.example.com>`;
    const raw = await compose({
      from: "Visitor <visitor@example.com>",
      to: customerAddress,
      text: QUOTED_REPLY,
      messageId,
    });

    const sent = await sendSmtp(raw, "visitor@example.com", [customerAddress]);
    expect(sent.response).toMatch(/^250/);
    const afterSmtp = (await admin.messages.list({ conversationId })).items;
    const reply = afterSmtp.at(-1);
    expect(reply).toMatchObject({
      body: "Clearing the cache fixed it, thanks!",
      senderType: "customer",
      metadata: { via: "email", emailSubject: "Re: Your conversation with Acme" },
    });

    // The same message again, through the HTTP endpoint: nothing new.
    const posted = await postHttp(raw);
    expect(posted).toEqual({ status: 200, body: { outcomes: ["duplicate"] } });
    expect((await admin.messages.list({ conversationId })).items).toHaveLength(afterSmtp.length);
    const rows = await inboundRows(account.id, messageId);
    expect(rows).toMatchObject([
      { outcome: "accepted", source: "smtp", conversationId, messageId: reply?.id },
    ]);

    // A second reply delivered by both routes at the same moment: stored once.
    const secondId = `<${randomUUID()}@mail.example.com>`;
    const second = await compose({
      from: "visitor@example.com",
      to: customerAddress,
      text: "And the export works too.",
      messageId: secondId,
    });
    const [viaSmtp, viaHttp, again] = await Promise.all([
      sendSmtp(second, "visitor@example.com", [customerAddress]),
      postHttp(second),
      postHttp(second),
    ]);
    expect(viaSmtp.response).toMatch(/^250/);
    expect([viaHttp.status, again.status]).toEqual([200, 200]);
    const bodies = (await admin.messages.list({ conversationId })).items.map((m) => m.body);
    expect(bodies.filter((b) => b === "And the export works too.")).toHaveLength(1);
    expect(await inboundRows(account.id, secondId)).toHaveLength(1);
  });

  it("stores an auto-reply and a bounce as ignored, with no message", async () => {
    const { admin, account, conversationId, customerAddress } = await conversationWithVisitor();
    const before = (await admin.messages.list({ conversationId })).items.length;
    const autoId = `<${randomUUID()}@mail.example.com>`;
    const autoReply = await compose({
      from: "visitor@example.com",
      to: customerAddress,
      subject: "Automatic reply: out of office",
      text: "I am out of the office until Monday.",
      messageId: autoId,
      headers: { "Auto-Submitted": "auto-replied" },
    });
    await sendSmtp(autoReply, "visitor@example.com", [customerAddress]);
    const bounceId = `<${randomUUID()}@mx.example.net>`;
    const bounce = await compose({
      from: "Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>",
      to: customerAddress,
      subject: "Undelivered Mail Returned to Sender",
      text: "Your message could not be delivered.",
      messageId: bounceId,
    });
    expect((await postHttp(bounce)).body).toEqual({ outcomes: ["bounce"] });

    expect(await inboundRows(account.id, autoId)).toMatchObject([
      { outcome: "auto_reply", messageId: null },
    ]);
    expect(await inboundRows(account.id, bounceId)).toMatchObject([
      { outcome: "bounce", messageId: null },
    ]);
    expect((await admin.messages.list({ conversationId })).items).toHaveLength(before);
  });

  it("ignores a forged reply-to address and refuses other domains at RCPT", async () => {
    const { admin, account, conversationId, customerAddress } = await conversationWithVisitor();
    const before = (await admin.messages.list({ conversationId })).items.length;
    // Same conversation, one signature character changed.
    const at = customerAddress.indexOf("@");
    const last = customerAddress[at - 1] === "a" ? "b" : "a";
    const forged = `${customerAddress.slice(0, at - 1)}${last}${customerAddress.slice(at)}`;
    const messageId = `<${randomUUID()}@evil.example.com>`;
    const raw = await compose({ from: "x@evil.example.com", to: forged, text: "hi", messageId });
    // Accepted by SMTP (the domain is ours) but stored nowhere.
    expect((await sendSmtp(raw, "x@evil.example.com", [forged])).response).toMatch(/^250/);
    expect((await postHttp(raw)).status).toBe(406);
    expect(await inboundRows(account.id, messageId)).toHaveLength(0);
    expect((await admin.messages.list({ conversationId })).items).toHaveLength(before);

    await expect(
      sendSmtp(raw, "x@evil.example.com", ["someone@elsewhere.example.com"]),
    ).rejects.toMatchObject({ responseCode: 550 });
  });

  it("lands an agent's emailed reply as their reply, live in the visitor's widget", async () => {
    const { admin, user, email, conversationId, visitor } = await conversationWithVisitor();
    const agentAddress = replyAddress(settings(), conversationId, {
      type: "user",
      id: user.id,
    }) as string;
    const sub = subscriber(rt, { widgetToken: visitor.sessionToken });
    const widget = reader(await sub.api.widget.events({ conversationId }), sub.stop);
    try {
      // Someone else writing from another address is not the agent.
      const impostor = await compose({ from: "mallory@example.com", to: agentAddress, text: "no" });
      await sendSmtp(impostor, "mallory@example.com", [agentAddress]);

      const raw = await compose({
        from: `Admin <${email.toUpperCase()}>`,
        to: agentAddress,
        text: "We fixed the invoices page.\n\n-- \nAdmin, Acme support\n",
      });
      await sendSmtp(raw, email, [agentAddress]);
      await widget.until(() => widget.bodies().includes("We fixed the invoices page."));
      expect(widget.bodies()).not.toContain("no");
      const last = (await admin.messages.list({ conversationId })).items.at(-1);
      expect(last).toMatchObject({
        body: "We fixed the invoices page.",
        senderType: "user",
        userId: user.id,
        type: "reply",
        metadata: { via: "email" },
      });
    } finally {
      widget.stop();
    }
  });
});

describe("email conversations", () => {
  const PDF = Buffer.from("%PDF-1.4 order confirmation");

  it("starts a conversation from mail to an inbox address, threads the next mail into it, keeps files", async () => {
    const { admin, account, inbox } = await signUpAccount(rt);
    const to = inboxAddress(settings(), inbox.id) as string;
    expect(to).toMatch(new RegExp(`^inbox-[a-z2-7]{26}@${DOMAIN.replace(/\./g, "\\.")}$`));
    const customerEmail = `frank-${randomUUID().slice(0, 8)}@example.com`;
    const firstId = `<${randomUUID()}@mail.example.com>`;
    const first = await compose({
      from: `Frank Ocean <${customerEmail}>`,
      to,
      subject: "Order 1042 arrived damaged",
      text: "The box was crushed. Photo of the label attached.",
      messageId: firstId,
      attachments: [{ filename: "label.pdf", content: PDF, contentType: "application/pdf" }],
    });
    await sendSmtp(first, customerEmail, [to]);
    const [row] = await inboundRows(account.id, firstId);
    expect(row?.outcome).toBe("accepted");
    const conversationId = row?.conversationId as string;
    const conversation = await admin.conversations.get({ id: conversationId });
    expect(conversation).toMatchObject({
      channel: "email",
      subject: "Order 1042 arrived damaged",
      inboxId: inbox.id,
      customer: { email: customerEmail, name: "Frank Ocean" },
    });
    const [message] = (await admin.messages.list({ conversationId })).items;
    expect(message?.body).toBe("The box was crushed. Photo of the label attached.");
    expect(message?.attachments).toMatchObject([
      { filename: "label.pdf", contentType: "application/pdf", size: PDF.length },
    ]);

    // The answer to it (In-Reply-To/References) joins the same conversation, over HTTP.
    const next = await compose({
      from: customerEmail,
      to,
      subject: "Re: Order 1042 arrived damaged",
      text: `Any news?\n\nOn Tue, Dec 1, 2026 at 9:58 AM Frank <${customerEmail}> wrote:\n> The box was crushed.`,
      inReplyTo: firstId,
      references: firstId,
    });
    expect((await postHttp(next)).body).toEqual({ outcomes: ["accepted"] });
    const items = (await admin.messages.list({ conversationId })).items;
    expect(items.map((m) => m.body)).toEqual([
      "The box was crushed. Photo of the label attached.",
      "Any news?",
    ]);

    // A mail without thread ids is a new conversation.
    const fresh = await compose({
      from: customerEmail,
      to,
      subject: "Another question",
      text: "Hi",
    });
    await sendSmtp(fresh, customerEmail, [to]);
    const list = await admin.conversations.list({});
    const mine = list.items.filter((c) => c.customer.id === conversation.customerId);
    expect(mine.map((c) => c.subject).sort()).toEqual([
      "Another question",
      "Order 1042 arrived damaged",
    ]);
  });
});

describe("the inbound-parse endpoint", () => {
  it("refuses bad signatures, old timestamps, replayed tokens and mail for nobody here", async () => {
    const { customerAddress } = await conversationWithVisitor();
    const raw = await compose({ from: "v@example.com", to: customerAddress, text: "hello" });
    expect((await postHttp(raw, { key: "not-the-signing-key-at-all" })).status).toBe(401);
    const old = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await postHttp(raw, { timestamp: old })).body).toEqual({
      error: "timestamp older than 5 minutes",
    });
    const token = randomUUID().replace(/-/g, "");
    expect((await postHttp(raw, { token })).status).toBe(200);
    expect((await postHttp(raw, { token })).body).toEqual({ error: "signature already used" });
    const nobody = await compose({ from: "v@example.com", to: "sales@example.com", text: "hi" });
    expect((await postHttp(nobody)).status).toBe(406);
    const missing = await fetch(endpoint, { method: "POST", body: "plain text" });
    expect(missing.status).toBe(400);
  });
});
