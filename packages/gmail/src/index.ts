export {
  type ConnectedGmail,
  connectedGmail,
  type GmailConnection,
  type GmailDeps,
  gmailApi,
  googleSettings,
  loadConnection,
  markReconnectRequired,
  oauthClient,
} from "./client";
export * from "./connections";
export { decryptToken, encryptToken } from "./crypto";
export {
  GmailReconnectRequired,
  isAuthFailure,
  isRetryable,
  type RetryOptions,
  withRetries,
} from "./errors";
export {
  CALLBACK_PATH,
  completeGmailConnection,
  GMAIL_SCOPE,
  gmailAuthUrl,
  redirectUri,
  signState,
  verifyState,
} from "./oauth";
export { type ParsedMail, parseRawMail } from "./parse";
export { type GmailReplyOutcome, gmailThreadOf, sendReplyThroughGmail } from "./send";
export { type SyncDeps, type SyncOptions, type SyncResult, syncGmailConnection } from "./sync";
