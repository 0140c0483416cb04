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
