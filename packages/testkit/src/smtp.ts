// A fake SMTP server on a local port, for tests: a real SMTP peer (smtp-server)
// that accepts every message, parses it with mailparser and keeps it, so a
// test sees exactly what a mail server would receive (both parts, headers,
// attachments) from nodemailer or any other client. A leaf module: it imports
// nothing from the workspace.
//
//   const smtp = await startFakeSmtp();
//   // point the app at it: SMTP_HOST=127.0.0.1 SMTP_PORT=smtp.port
//   const mail = await smtp.waitFor((m) => m.to.includes("ann@example.com"));
//   mail.subject; mail.text; mail.html; mail.from; mail.headers.get("message-id");
//   smtp.failNext(2, 451);     // the next 2 deliveries are refused (4xx: try later, 5xx: never)
//   await smtp.close();
//
// Any user name and password are accepted (over plain text, without TLS).
import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type ReceivedMail = {
  /** The envelope: who the client said it was from and to (MAIL FROM / RCPT TO). */
  envelope: { from: string; to: string[] };
  /** The From header as written (`"Acme" <support@acme.test>`). */
  from: string;
  /** Addresses of the To header, lower case. */
  to: string[];
  subject: string;
  text: string;
  /** The HTML part, or "" when the email had none. */
  html: string;
  /** The Message-ID header, with its angle brackets. */
  messageId: string;
  replyTo: string | null;
  /** Every header, lower-case names (values as mailparser gives them). */
  headers: ParsedMail["headers"];
  attachments: { filename: string; contentType: string; content: Buffer }[];
  /** The raw message as received. */
  raw: Buffer;
};

export type FakeSmtp = {
  port: number;
  /** Every message accepted so far, in order. */
  messages: ReceivedMail[];
  /** Refuses the next `count` messages with `code` (e.g. 451, 550) and a message that says so. */
  failNext(count: number, code?: number): void;
  /** The first message (received or to come) matching `predicate`; rejects after `timeoutMs`. */
  waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
};

function addressesOf(field: ParsedMail["to"]): string[] {
  if (!field) return [];
  const list = Array.isArray(field) ? field : [field];
  return list.flatMap((group) =>
    group.value.map((entry) => entry.address?.toLowerCase() ?? "").filter(Boolean),
  );
}

export async function startFakeSmtp(options: { port?: number } = {}): Promise<FakeSmtp> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<{
    predicate: (m: ReceivedMail) => boolean;
    resolve: (m: ReceivedMail) => void;
  }>();
  let failures: { left: number; code: number } = { left: 0, code: 451 };

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(_auth, _session, callback) {
      callback(null, { user: "test" });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", callback);
      stream.on("end", () => {
        if (failures.left > 0) {
          failures.left--;
          const error = Object.assign(
            new Error(`fake SMTP refused the message (${failures.code})`),
            {
              responseCode: failures.code,
            },
          );
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then((parsed) => {
          const mail: ReceivedMail = {
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
              to: session.envelope.rcptTo.map((r) => r.address),
            },
            from: parsed.from?.text ?? "",
            to: addressesOf(parsed.to),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            messageId: parsed.messageId ?? "",
            replyTo: parsed.replyTo?.text ?? null,
            headers: parsed.headers,
            attachments: parsed.attachments.map((a) => ({
              filename: a.filename ?? "",
              contentType: a.contentType,
              content: a.content,
            })),
            raw,
          };
          messages.push(mail);
          for (const waiter of waiters) {
            if (waiter.predicate(mail)) {
              waiters.delete(waiter);
              waiter.resolve(mail);
            }
          }
          callback();
        }, callback);
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    port,
    messages,
    failNext(count, code = 451) {
      failures = { left: count, code };
    },
    waitFor(predicate, timeoutMs = 10_000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (mail: ReceivedMail) => {
            clearTimeout(timer);
            resolve(mail);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(
              `no matching email arrived within ${timeoutMs} ms (${messages.length} received)`,
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
