// The inbound SMTP listener: the MX of INBOUND_EMAIL_DOMAIN points here, and
// every message for that domain is handed to `onMessage` while the sender
// waits. A recipient of another domain is refused at RCPT (550: Netia is not
// an open relay); a failure inside `onMessage` (the database is down) answers
// 451, so the sending server keeps the message and tries again later:
// nothing is lost, and a message is only acknowledged once it is stored.
import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";

export const INBOUND_MAX_BYTES = 25 * 1024 * 1024;

export type InboundEnvelope = { mailFrom: string | null; rcptTo: string[]; remoteAddress: string };

export type InboundSmtpOptions = {
  port: number;
  host?: string;
  /** Mail is accepted for this domain only. */
  domain: string;
  maxBytes?: number;
  /** Stores the message; throwing makes the sender retry (451). */
  onMessage(raw: Buffer, envelope: InboundEnvelope): Promise<void>;
  logger?: {
    info(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
};

export type InboundSmtpListener = {
  /** The port it listens on (the one given, or the one picked for 0). */
  port: number;
  close(): Promise<void>;
};

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

const addressOf = (a: SMTPServerAddress | false) => (a ? a.address.toLowerCase() : null);

export async function startInboundSmtpListener(
  options: InboundSmtpOptions,
): Promise<InboundSmtpListener> {
  const maxBytes = options.maxBytes ?? INBOUND_MAX_BYTES;
  const domain = options.domain.toLowerCase();
  const server = new SMTPServer({
    name: domain,
    banner: "Netia inbound mail",
    authOptional: true,
    disabledCommands: ["AUTH"],
    // STARTTLS needs a certificate; senders fall back to plain SMTP without it.
    hideSTARTTLS: true,
    size: maxBytes,
    logger: false,
    onRcptTo(address, _session, callback) {
      const at = address.address.lastIndexOf("@");
      if (at < 0 || address.address.slice(at + 1).toLowerCase() !== domain) {
        callback(smtpError(`5.7.1 <${address.address}>: relay access denied`, 550));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", (err) => callback(err));
      stream.on("end", () => {
        if ((stream as { sizeExceeded?: boolean }).sizeExceeded) {
          callback(smtpError(`5.3.4 message larger than ${maxBytes} bytes`, 552));
          return;
        }
        const envelope: InboundEnvelope = {
          mailFrom: addressOf(session.envelope.mailFrom),
          rcptTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          remoteAddress: session.remoteAddress,
        };
        options.onMessage(Buffer.concat(chunks), envelope).then(
          () => callback(null, "2.0.0 accepted"),
          (err: unknown) => {
            options.logger?.error(
              { err, envelope },
              "inbound email not stored; sender told to retry",
            );
            callback(smtpError("4.3.0 temporary failure, try again later", 451));
          },
        );
      });
    },
  });
  server.on("error", (err) => options.logger?.error({ err }, "inbound SMTP listener error"));
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.server.once("error", onError);
    server.listen(options.port, options.host ?? "0.0.0.0", () => {
      server.server.off("error", onError);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  options.logger?.info({ port, domain }, "inbound SMTP listener started");
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
