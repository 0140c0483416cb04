// Gmail's OAuth tokens, encrypted at rest under a key of their own
// (packages/core/src/token-crypto.ts).
import { tokenCipher } from "@netia/core";

const gmailTokens = tokenCipher("netia:gmail-oauth-tokens");

export const encryptToken = gmailTokens.encrypt;
export const decryptToken = gmailTokens.decrypt;
