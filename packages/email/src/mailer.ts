// The transport every email leaves through: nodemailer over SMTP when SMTP_HOST
// is set, otherwise the log (the whole email outside production, so the flows
// can be followed with nothing configured; the outgoing mail page lists them
// either way).
import nodemailer from "nodemailer";

export type SmtpSettings = { host: string; port: number; username?: string; password?: string };

export type MailToSend = {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  replyTo?: string;
  messageId: string;
  headers: Record<string, string>;
  attachments: { filename: string; contentType: string; content: Buffer }[];
};

export type MailTransport = {
  transport: "smtp" | "log";
  send(mail: MailToSend): Promise<void>;
  close(): void;
};

type LogSink = { info(fields: object, message: string): void };

export function createMailer(options: {
  smtp: SmtpSettings | null;
  logger: LogSink;
  /** Write bodies to the log (never in production: they may hold links that sign in). */
  logBodies: boolean;
  /** Give up on an unresponsive server after this long (ms); the job retries. */
  timeoutMs?: number;
}): MailTransport {
  const { smtp, logger } = options;
  if (!smtp) {
    return {
      transport: "log",
      async send(mail) {
        logger.info(
          {
            from: mail.from,
            to: mail.to,
            subject: mail.subject,
            messageId: mail.messageId,
            ...(options.logBodies ? { text: mail.text } : {}),
          },
          "email (SMTP_HOST is not set, so it was written here instead of sent)",
        );
      },
      close() {},
    };
  }
  const timeout = options.timeoutMs ?? 30_000;
  const transporter = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    // 465 speaks TLS from the first byte; other ports upgrade with STARTTLS when offered.
    secure: smtp.port === 465,
    auth: smtp.username ? { user: smtp.username, pass: smtp.password ?? "" } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    transport: "smtp",
    async send(mail) {
      await transporter.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        replyTo: mail.replyTo,
        messageId: mail.messageId,
        headers: mail.headers,
        attachments: mail.attachments,
      });
    },
    close() {
      transporter.close();
    },
  };
}
