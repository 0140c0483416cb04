export { createMailer, type MailToSend, type MailTransport, type SmtpSettings } from "./mailer";
export { type RenderedEmail, renderEmail } from "./render";
export { type InvitationEmailProps, invitationEmail } from "./templates/invitation";
export { button, Layout, type LayoutProps, paragraph } from "./templates/layout";
export { type PasswordResetEmailProps, passwordResetEmail } from "./templates/password-reset";
