// Outgoing email end to end: the router queues, the `email.send` job delivers
// over real SMTP (nodemailer to a local smtp-server), the outgoing mail page
// shows what happened. Invitations and password resets arrive with both
// parts and a link that works; failures retry, then show as failed, and a
// retry from the page sends them; without SMTP the log is the transport.
import { queueEmail, storeAttachment } from "@netia/core";
import { schema } from "@netia/db";
import { closeRuntime, type Runtime } from "@netia/runtime";
import { type FakeSmtp, type ReceivedMail, startFakeSmtp } from "@netia/testkit/smtp";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  client,
  createTestRuntime,
  openEmptyDatabase,
  signUpAccount,
  testConfig,
  tokenOfLink,
  uniqueEmail,
} from "../testing";

const FROM_ADDRESS = "support@netia.test";
const RETRY_LIMIT = 2;

let smtp: FakeSmtp;
let rt: Runtime;

beforeAll(async () => {
  smtp = await startFakeSmtp();
  rt = await createTestRuntime({
    config: testConfig({
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(smtp.port),
      SMTP_USERNAME: "netia",
      SMTP_PASSWORD: "secret",
      SMTP_FROM: `Netia <${FROM_ADDRESS}>`,
      REACT_APP_URL: "http://app.netia.test",
    }),
    jobs: {
      pollingIntervalSeconds: 0.5,
      retry: { "email.send": { retryLimit: RETRY_LIMIT, retryDelay: 1, retryDelayMax: 1 } },
    },
  });
});
afterAll(async () => {
  if (rt) await closeRuntime(rt);
  await smtp.close();
});

const sentTo = (address: string) => (mail: ReceivedMail) => mail.to.includes(address);

/** The link to `path` in the HTML part (its button); the text part must carry the same. */
function linkIn(mail: ReceivedMail, path: "invite" | "reset-password"): string {
  const href = new RegExp(`href="(http://app\\.netia\\.test/${path}/[^"]+)"`).exec(mail.html)?.[1];
  if (!href) throw new Error(`no ${path} link in the HTML part`);
  expect(mail.text).toContain(href);
  return href;
}

async function outboundRow(id: string) {
  const [row] = await rt.db
    .select()
    .from(schema.outboundEmails)
    .where(eq(schema.outboundEmails.id, id));
  if (!row) throw new Error("no such email");
  return row;
}

/** Polls until the email's row satisfies `done` (the job runs in the background). */
async function until(
  id: string,
  done: (row: typeof schema.outboundEmails.$inferSelect) => boolean,
  timeoutMs = 15_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await outboundRow(id);
    if (done(row)) return row;
    if (Date.now() > deadline) throw new Error(`email ${id} stayed ${row.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function emailIdTo(accountId: string, to: string) {
  const rows = await rt.db
    .select({ id: schema.outboundEmails.id, to: schema.outboundEmails.toAddress })
    .from(schema.outboundEmails)
    .where(eq(schema.outboundEmails.accountId, accountId));
  const row = rows.find((r) => r.to === to);
  if (!row) throw new Error(`no email to ${to}`);
  return row.id;
}

describe("invitation email", () => {
  it("arrives with both parts from the company name, and its link joins the team", async () => {
    const { admin } = await signUpAccount(rt, "Acme Bikes");
    const invitee = uniqueEmail("invitee");
    const { url } = await admin.team.invite({ email: invitee, role: "agent" });

    const mail = await smtp.waitFor(sentTo(invitee));
    expect(mail.from).toBe(`"Acme Bikes" <${FROM_ADDRESS}>`);
    expect(mail.envelope.to).toEqual([invitee]);
    expect(mail.subject).toBe("Join Acme Bikes on Netia");
    expect(mail.messageId).toMatch(/^<[0-9a-f-]+@netia\.test>$/);
    expect(mail.html).toContain("<html");
    expect(mail.text).toContain("Admin invited you to join Acme Bikes on Netia as an agent");
    // The admin gets the same link back, as before.
    expect(linkIn(mail, "invite")).toBe(url);

    const newcomer = client(rt);
    const { user } = await newcomer.auth.acceptInvitation({
      token: tokenOfLink(linkIn(mail, "invite")),
      name: "Newcomer",
      password: "newcomer password",
    });
    expect(user.email).toBe(invitee);
    expect((await admin.team.list()).map((m) => m.email)).toContain(invitee);

    const page = await admin.email.outgoing({});
    const listed = page.items.find((e) => e.toAddress === invitee);
    expect(listed).toMatchObject({
      kind: "invitation",
      status: "sent",
      transport: "smtp",
      attempts: 1,
      sensitive: false,
    });
    const detail = await admin.email.outgoingMessage({ id: listed?.id ?? "" });
    expect(detail.html).toContain(url);
    expect(detail.messageIdHeader).toBe(mail.messageId);
  });

  it("is sent again with a new link on resend, from the account's sender name", async () => {
    const { admin } = await signUpAccount(rt, "Acme Bikes");
    await admin.account.update({ emailSenderName: 'Acme "Support" Team' });
    const invitee = uniqueEmail("resent");
    const first = await admin.team.invite({ email: invitee, role: "admin" });
    await smtp.waitFor(sentTo(invitee));
    const second = await admin.team.resendInvitation({ id: first.invitation.id });
    const mails = await smtp.waitFor(
      (m) => sentTo(invitee)(m) && m.html.includes(second.url),
      10_000,
    );
    expect(mails.from).toBe(`"Acme \\"Support\\" Team" <${FROM_ADDRESS}>`);
    expect(mails.text).toContain("as an admin");
    expect(second.url).not.toBe(first.url);
  });
});

describe("password reset email", () => {
  it("arrives, resets the password, and its body is kept nowhere", async () => {
    const { email, account } = await signUpAccount(rt, "Reset Co");
    await client(rt).auth.requestPasswordReset({ email });
    const mail = await smtp.waitFor(sentTo(email));
    expect(mail.from).toBe(`"Reset Co" <${FROM_ADDRESS}>`);
    expect(mail.subject).toBe("Choose a new Netia password");
    expect(mail.messageId).toMatch(/@netia\.test>$/);
    const link = linkIn(mail, "reset-password");

    await client(rt).auth.resetPassword({
      token: tokenOfLink(link),
      newPassword: "a brand new password",
    });
    // The reset ended every session; the admin logs in again with the new password.
    const admin = client(rt);
    await admin.auth.logIn({ email, password: "a brand new password" });

    const id = await emailIdTo(account.id, email);
    const row = await until(id, (r) => r.status === "sent");
    expect(row).toMatchObject({ sensitive: true, html: "", text: "", kind: "password_reset" });

    const listed = (await admin.email.outgoing({})).items.find((e) => e.id === id);
    expect(listed).toMatchObject({ sensitive: true, status: "sent" });
    expect(JSON.stringify(listed)).not.toContain(tokenOfLink(link));
    const detail = await admin.email.outgoingMessage({ id });
    expect(detail.html).toBeNull();
    expect(detail.text).toBeNull();
  });

  it("is not sent to a disabled agent", async () => {
    const { admin, account } = await signUpAccount(rt, "Disabled Co");
    const agentEmail = uniqueEmail("disabled");
    const { url } = await admin.team.invite({ email: agentEmail, role: "agent" });
    const { user } = await client(rt).auth.acceptInvitation({
      token: tokenOfLink(url),
      name: "Gone",
      password: "agent password 1",
    });
    await admin.team.setDisabled({ userId: user.id, disabled: true });

    // Only reset mails count: the invitation's own mail may still be on its way.
    const resetMailTo = (m: ReceivedMail) =>
      sentTo(agentEmail)(m) && m.html.includes("/reset-password/");
    await client(rt).auth.requestPasswordReset({ email: agentEmail });
    const resets = await rt.db
      .select()
      .from(schema.outboundEmails)
      .where(eq(schema.outboundEmails.userId, user.id));
    expect(resets).toHaveLength(1);
    const row = await until(resets[0]?.id ?? "", (r) => r.status !== "queued");
    expect(row).toMatchObject({ status: "skipped", lastError: "the agent is disabled" });
    expect(smtp.messages.filter(resetMailTo)).toHaveLength(0);
    expect((await admin.email.outgoing({ status: "skipped" })).items.map((e) => e.id)).toEqual([
      row.id,
    ]);
    expect(account.id).toBe(row.accountId);
  });
});

describe("failures", () => {
  it("retries a temporary refusal, then shows it failed with the error; a retry sends it", async () => {
    const { admin, account } = await signUpAccount(rt, "Flaky Co");
    const invitee = uniqueEmail("flaky");
    smtp.failNext(RETRY_LIMIT + 1, 451);
    await admin.team.invite({ email: invitee });
    const id = await emailIdTo(account.id, invitee);
    const failed = await until(id, (r) => r.status === "failed", 30_000);
    expect(failed.attempts).toBe(RETRY_LIMIT + 1);
    expect(failed.lastError).toMatch(/451/);
    expect(failed.failedAt).toBeInstanceOf(Date);
    expect(smtp.messages.filter(sentTo(invitee))).toHaveLength(0);

    expect((await admin.email.failedCount()).count).toBe(1);
    const listed = await admin.email.outgoing({ status: "failed" });
    expect(listed.items).toEqual([
      expect.objectContaining({ id, status: "failed", lastError: failed.lastError }),
    ]);

    await admin.email.retry({ id });
    await smtp.waitFor(sentTo(invitee));
    const sent = await until(id, (r) => r.status === "sent");
    expect(sent).toMatchObject({ attempts: RETRY_LIMIT + 2, lastError: null, failedAt: null });
    expect((await admin.email.failedCount()).count).toBe(0);
    // Only a failed email can be retried.
    await expect(admin.email.retry({ id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("fails at once when the server refuses the recipient for good", async () => {
    const { admin, account } = await signUpAccount(rt, "Bounce Co");
    const invitee = uniqueEmail("bounce");
    smtp.failNext(1, 550);
    await admin.team.invite({ email: invitee });
    const id = await emailIdTo(account.id, invitee);
    const failed = await until(id, (r) => r.status === "failed");
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toMatch(/550/);
  });
});

describe("the outgoing mail page", () => {
  it("shows each account its own emails, to admins only", async () => {
    const a = await signUpAccount(rt, "Tenant A");
    const b = await signUpAccount(rt, "Tenant B");
    const toA = uniqueEmail("a-invitee");
    const agentEmail = uniqueEmail("a-agent");
    const { url } = await a.admin.team.invite({ email: agentEmail, role: "agent" });
    await a.admin.team.invite({ email: toA });
    const aEmail = await emailIdTo(a.account.id, toA);

    const bList = await b.admin.email.outgoing({});
    expect(bList.items).toEqual([]);
    await expect(b.admin.email.outgoingMessage({ id: aEmail })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });

    const aList = await a.admin.email.outgoing({ limit: 1 });
    expect(aList.items).toHaveLength(1);
    expect(aList.items[0]?.toAddress).toBe(toA); // newest first
    const next = await a.admin.email.outgoing({ limit: 1, cursor: aList.nextCursor ?? "" });
    expect(next.items[0]?.toAddress).toBe(agentEmail);

    const agent = client(rt);
    await agent.auth.acceptInvitation({
      token: tokenOfLink(url),
      name: "Agent",
      password: "agent password 1",
    });
    await expect(agent.email.outgoing({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(agent.email.outgoingMessage({ id: aEmail })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});

describe("attachments", () => {
  it("are read from storage and sent with the email", async () => {
    const { account, user } = await signUpAccount(rt, "Files Co");
    const bytes = Buffer.from("%PDF-1.4 a small file ".repeat(50_000)); // > one chunk
    const file = await storeAttachment(rt.db, {
      accountId: account.id,
      uploader: { userId: user.id },
      filename: "quote.pdf",
      contentType: "application/pdf",
      body: [bytes],
    });
    const to = uniqueEmail("customer");
    await queueEmail(
      rt.db,
      { jobs: rt.jobs, from: rt.config.email.from },
      {
        accountId: account.id,
        kind: "transcript",
        to,
        subject: "Your quote",
        html: "<p>Attached.</p>",
        text: "Attached.",
        attachmentIds: [file.id],
      },
    );
    const mail = await smtp.waitFor(sentTo(to));
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({
      filename: "quote.pdf",
      contentType: "application/pdf",
    });
    expect(mail.attachments[0]?.content.equals(bytes)).toBe(true);
  });
});

describe("without SMTP", () => {
  it("writes the email to the log, marks it sent by `log`, and lists it", async () => {
    // A database of its own: on the shared one, the SMTP runtime's workers would take its jobs.
    const { database, dispose } = await openEmptyDatabase();
    const local = await createTestRuntime({
      config: testConfig(),
      database,
      jobs: { pollingIntervalSeconds: 0.5 },
    });
    try {
      const received = smtp.messages.length;
      const { admin, account } = await signUpAccount(local, "No Mail Co");
      const invitee = uniqueEmail("logged");
      await admin.team.invite({ email: invitee });
      const [row] = await local.db
        .select()
        .from(schema.outboundEmails)
        .where(eq(schema.outboundEmails.accountId, account.id));
      if (!row) throw new Error("the invitation queued no email");
      const deadline = Date.now() + 15_000;
      let status = row.status;
      while (status === "queued" && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = (await admin.email.outgoingMessage({ id: row.id })).status;
      }
      const detail = await admin.email.outgoingMessage({ id: row.id });
      expect(detail).toMatchObject({ status: "sent", transport: "log", toAddress: invitee });
      expect(detail.text).toContain("/invite/");
      expect((await admin.email.outgoing({})).items.map((e) => e.id)).toEqual([row.id]);
      expect(smtp.messages.length).toBe(received);
    } finally {
      // dispose() closes the database (and drops it) after the rest of the runtime.
      await local.jobs.stop();
      await local.realtime.close();
      await dispose();
    }
  });
});

describe("account email settings", () => {
  it("validates the sender name and the customer email delay", async () => {
    const { admin } = await signUpAccount(rt, "Settings Co");
    expect(await admin.account.get()).toMatchObject({
      emailSenderName: null,
      customerEmailAfterMinutes: 10,
    });
    await admin.account.update({ emailSenderName: "  Help Desk ", customerEmailAfterMinutes: 30 });
    expect(await admin.account.get()).toMatchObject({
      emailSenderName: "Help Desk",
      customerEmailAfterMinutes: 30,
    });
    await admin.account.update({ emailSenderName: "", customerEmailAfterMinutes: null });
    expect(await admin.account.get()).toMatchObject({
      emailSenderName: null,
      customerEmailAfterMinutes: null,
    });
    for (const bad of [
      { customerEmailAfterMinutes: 0 },
      { customerEmailAfterMinutes: 1441 },
      { customerEmailAfterMinutes: 2.5 },
      { emailSenderName: "Acme\r\nBcc: x@evil.test" },
      { emailSenderName: "Acme <x@evil.test>" },
      { emailSenderName: "x".repeat(101) },
    ]) {
      await expect(admin.account.update(bad), JSON.stringify(bad)).rejects.toMatchObject({
        code: "BAD_REQUEST",
      });
    }
  });
});

describe("races", () => {
  // A database of its own with no workers, so nothing is sent behind the test's back.
  async function idleRuntime() {
    const { database, dispose } = await openEmptyDatabase();
    const idle = await createTestRuntime({ database, jobs: { work: false } });
    return {
      idle,
      async close() {
        await idle.jobs.stop();
        await idle.realtime.close();
        await dispose();
      },
    };
  }

  it("queues an email once per dedupe key, however many ask at once", async () => {
    const { idle, close } = await idleRuntime();
    try {
      const { account } = await signUpAccount(idle, "Dedupe Co");
      const to = uniqueEmail("dedupe");
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          queueEmail(
            idle.db,
            { jobs: idle.jobs, from: idle.config.email.from },
            {
              accountId: account.id,
              kind: "agent_alert",
              to,
              subject: "Once",
              html: "<p>Once</p>",
              text: "Once",
              dedupeKey: `alert:${to}`,
            },
          ),
        ),
      );
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const rows = await idle.db
        .select()
        .from(schema.outboundEmails)
        .where(eq(schema.outboundEmails.accountId, account.id));
      expect(rows.filter((r) => r.toAddress === to)).toHaveLength(1);
    } finally {
      await close();
    }
  });
});
