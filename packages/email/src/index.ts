export { createMailer, type MailToSend, type MailTransport, type SmtpSettings } from "./mailer";
