// Email channel figures, on a scratch Postgres database with the fake Gmail
// (API and token endpoint) and a real SMTP server in this process:
// (a) Gmail import throughput: messages per second of the first sync (the
//     inbox listing) and of an incremental sync (history pages), each
//     message fetched as raw MIME, parsed, and stored as a conversation
//     message with its customer and thread. Node is single-threaded: the
//     importer (and the fake beside it) run on one core; Postgres is its own
//     process.
// (b) Reply latency: an agent's reply (messages.reply) in an email
//     conversation → the SMTP server has the whole message (the enqueue in
//     the reply's transaction, the email.deliver-reply job, queueEmail, the
//     email.send job, nodemailer). Also through Gmail: reply → the fake's
//     users.messages.send.
// Run from the repository root with `pnpm bench:email`; see bench/README.md.
import type { AddressInfo } from "node:net";
import { client, createTestRuntime, signUpAccount, testConfig } from "@netia/api/testing";
import { schema } from "@netia/db";
import { completeGmailConnection, signState, syncGmailConnection } from "@netia/gmail";
import { startFakeGmail } from "@netia/testkit/gmail";
import { eq } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { stats } from "../inbox/measure";
import { scratchDatabase } from "../lib/database";
import { benchmarkRun, log } from "../lib/run";

const IMPORT_MESSAGES = Number(process.env.BENCH_EMAIL_IMPORT ?? 2000);
const REPLIES = Number(process.env.BENCH_EMAIL_REPLIES ?? 200);
const WARMUP = Number(process.env.BENCH_EMAIL_WARMUP ?? 10);
const CLIENT = { clientId: "bench.apps.googleusercontent.com", clientSecret: "bench" };

const { cleanups, cleanup } = benchmarkRun(20 * 60_000);

function mail(from: string, to: string, subject: string, i: number, inReplyTo?: string) {
  const messageId = `<bench-${i}-${Math.random().toString(36).slice(2)}@customer.test>`;
  const raw = [
    `From: Customer ${i % 300} <${from}>`,
    `To: ${to}`,
    `Subject: ${subject}`,
    `Message-ID: ${messageId}`,
    `Date: ${new Date().toUTCString()}`,
    ...(inReplyTo ? [`In-Reply-To: ${inReplyTo}`, `References: ${inReplyTo}`] : []),
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    `Hello, this is message ${i}. My order has not arrived yet; could you check on it?`,
    "",
    "On Mon, Support wrote:",
    "> Thanks for writing in.",
  ].join("\r\n");
  return { raw, messageId };
}

/** `count` messages in threads of four, from 300 different customers. */
function fill(box: { add(raw: string): unknown }, address: string, count: number, offset: number) {
  let parent: string | undefined;
  for (let i = 0; i < count; i++) {
    const n = offset + i;
    const from = `customer${n % 300}@customer.test`;
    const m = mail(
      from,
      address,
      `Order ${Math.floor(n / 4)}`,
      n,
      i % 4 === 0 ? undefined : parent,
    );
    parent = m.messageId;
    box.add(m.raw);
  }
}

async function main() {
  const { database } = await scratchDatabase("netia_bench_email", 10, cleanups);
  const fake = await startFakeGmail(CLIENT);
  cleanups.push({ name: "close the fake Gmail", run: () => fake.close() });
  const received = new Map<string, number>();
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      stream.on("data", () => {});
      stream.on("end", () => {
        for (const r of session.envelope.rcptTo) received.set(r.address, Date.now());
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  cleanups.push({
    name: "close the SMTP server",
    run: () => new Promise((r) => smtp.close(() => r())),
  });
  const config = testConfig({
    GOOGLE_CLIENT_ID: CLIENT.clientId,
    GOOGLE_CLIENT_SECRET: CLIENT.clientSecret,
    GOOGLE_API_URL: fake.apiUrl,
    GOOGLE_OAUTH_URL: fake.oauthUrl,
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String((smtp.server.address() as AddressInfo).port),
    SMTP_FROM: "Bench Support <support@bench.test>",
    INBOUND_EMAIL_DOMAIN: "reply.bench.test",
  });
  // The import runs with no job worker, so no sweep's sync runs beside the timed one.
  const importing = await createTestRuntime({ database, config, jobs: { work: false } });
  const stopImporting = async () => {
    await importing.jobs.stop();
    await importing.realtime.close();
  };
  cleanups.push({ name: "stop the importing runtime", run: stopImporting });

  const { user, account, inbox, email, password } = await signUpAccount(importing, "Bench Bikes");
  const address = "support@bench-bikes.test";
  const box = fake.mailbox(address);
  fill(box, address, IMPORT_MESSAGES, 0);
  const { connectionId } = await completeGmailConnection(
    { db: importing.db, config },
    {
      code: fake.authorize(address),
      state: signState(config.secretKeyBase, {
        accountId: account.id,
        userId: user.id,
        inboxId: inbox.id,
        expiresAt: Date.now() + 60_000,
      }),
      userId: user.id,
    },
  );
  const deps = { db: importing.db, config, bus: importing.bus, logger: importing.logger };
  const importRow = async (mode: string) => {
    const started = performance.now();
    const result = await syncGmailConnection(deps, connectionId, {
      initialLimit: IMPORT_MESSAGES,
    });
    const seconds = (performance.now() - started) / 1000;
    if (result?.imported !== IMPORT_MESSAGES) {
      throw new Error(`${mode}: imported ${result?.imported}, expected ${IMPORT_MESSAGES}`);
    }
    return `| ${mode} | ${result.imported} | ${seconds.toFixed(2)} | ${Math.round(result.imported / seconds)} |`;
  };
  const initial = await importRow("first sync (inbox listing)");
  fill(box, address, IMPORT_MESSAGES, IMPORT_MESSAGES);
  const incremental = await importRow("incremental sync (history pages)");
  await stopImporting();

  // (b) With job workers: replies go out through the queue as in production.
  const rt = await createTestRuntime({ database, config, jobs: { pollingIntervalSeconds: 0.5 } });
  cleanups.push({
    name: "stop the runtime",
    run: async () => {
      await rt.jobs.stop();
      await rt.realtime.close();
    },
  });
  const admin = client(rt);
  await admin.auth.logIn({ email, password });

  // Replies over SMTP: a conversation that came in by email, not through Gmail.
  const [customer] = await rt.db
    .insert(schema.customers)
    .values({ accountId: account.id, email: "rider@customer.test", name: "Rider" })
    .returning({ id: schema.customers.id });
  const [smtpConversation] = await rt.db
    .insert(schema.conversations)
    .values({
      accountId: account.id,
      inboxId: inbox.id,
      customerId: customer?.id as string,
      channel: "email",
      subject: "Where is my bike?",
      answeredBy: "people",
    })
    .returning({ id: schema.conversations.id });
  await rt.db.insert(schema.inboundEmails).values({
    accountId: account.id,
    messageIdHeader: "<first@customer.test>",
    source: "smtp",
    fromAddress: "rider@customer.test",
    conversationId: smtpConversation?.id as string,
    outcome: "accepted",
  });
  const smtpLatencies: number[] = [];
  for (let i = 0; i < WARMUP + REPLIES; i++) {
    received.delete("rider@customer.test");
    const started = Date.now();
    await admin.messages.reply({
      conversationId: smtpConversation?.id as string,
      body: `Reply ${i}: it ships tomorrow.`,
    });
    while (!received.has("rider@customer.test")) await new Promise((r) => setTimeout(r, 1));
    if (i >= WARMUP) smtpLatencies.push((received.get("rider@customer.test") as number) - started);
  }

  // Through Gmail: a conversation the import created.
  const [thread] = await rt.db
    .select({ conversationId: schema.gmailThreads.conversationId })
    .from(schema.gmailThreads)
    .where(eq(schema.gmailThreads.connectionId, connectionId))
    .limit(1);
  const gmailLatencies: number[] = [];
  for (let i = 0; i < WARMUP + REPLIES; i++) {
    const before = fake.sent.length;
    const started = Date.now();
    await admin.messages.reply({
      conversationId: thread?.conversationId as string,
      body: `Reply ${i}: it ships tomorrow.`,
    });
    while (fake.sent.length === before) await new Promise((r) => setTimeout(r, 1));
    if (i >= WARMUP) gmailLatencies.push(Date.now() - started);
  }

  log(
    `Email channel benchmark: ${IMPORT_MESSAGES} messages per sync, ${REPLIES} replies each way.`,
  );
  log();
  log("| Gmail import | Messages | Seconds | Messages/s |");
  log("| --- | ---: | ---: | ---: |");
  log(initial);
  log(incremental);
  log();
  const row = (name: string, s: ReturnType<typeof stats>) =>
    `| ${name} | ${s.iterations} | ${s.medianMs} | ${s.p99Ms} | ${s.maxMs} |`;
  log("| Agent reply → delivered | Samples | Median ms | p99 ms | Max ms |");
  log("| --- | ---: | ---: | ---: | ---: |");
  log(row("SMTP server has the message", stats(smtpLatencies)));
  log(row("Gmail users.messages.send received", stats(gmailLatencies)));
}

main()
  .then(() => cleanup())
  .catch(async (error) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
    await cleanup();
    process.exitCode = 1;
  });
