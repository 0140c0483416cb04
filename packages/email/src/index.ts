export {
  MAILGUN_MAX_AGE_SECONDS,
  type MailgunSignature,
  type SignatureCheck,
  signMailgunWebhook,
  verifyMailgunSignature,
} from "./inbound/mailgun";
export {
  type AutomaticKind,
  automaticKind,
  type InboundAttachment,
  type InboundEmail,
  LOOP_HEADER,
  parseInboundEmail,
} from "./inbound/parse";
export { htmlToText, replyText, replyTextFromHtml } from "./inbound/reply-text";
export {
  INBOUND_MAX_BYTES,
  type InboundEnvelope,
  type InboundSmtpListener,
  type InboundSmtpOptions,
  startInboundSmtpListener,
} from "./inbound/smtp-listener";
export { createMailer, type MailToSend, type MailTransport, type SmtpSettings } from "./mailer";
export { type RenderedEmail, renderEmail } from "./render";
export {
  type AgentAlertKind,
  type AgentAlertSection,
  type AgentAlertsEmailProps,
  agentAlertsEmail,
} from "./templates/agent-alerts";
export type { EmailLine } from "./templates/conversation-lines";
export { type CustomerReplyEmailProps, customerReplyEmail } from "./templates/customer-reply";
export { type InvitationEmailProps, invitationEmail } from "./templates/invitation";
export { button, Layout, type LayoutProps, paragraph } from "./templates/layout";
export { type PasswordResetEmailProps, passwordResetEmail } from "./templates/password-reset";
export { type TranscriptEmailProps, transcriptEmail } from "./templates/transcript";
export { type WebhookDisabledEmailProps, webhookDisabledEmail } from "./templates/webhook-disabled";
