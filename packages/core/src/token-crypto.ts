// Provider tokens (Gmail's OAuth tokens, Slack's bot token, ...) are stored
// encrypted: AES-256-GCM with a key derived from SECRET_KEY_BASE by HKDF under
// a label of the provider's own, so each key serves one purpose and a database
// dump alone reveals no token. The stored text names its format version
// ("v1.<iv>.<tag>.<ciphertext>", base64url), so the scheme can change later
// without guessing what an old row holds.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";

export type TokenCipher = {
  encrypt(secretKeyBase: string, plaintext: string): string;
  /** The token, or an error when the text was altered or encrypted under another SECRET_KEY_BASE. */
  decrypt(secretKeyBase: string, stored: string): string;
};

/** A cipher whose key is derived under `label` (e.g. "netia:slack-bot-tokens"). */
export function tokenCipher(label: string): TokenCipher {
  const keys = new Map<string, Buffer>();
  const keyFor = (secretKeyBase: string): Buffer => {
    let key = keys.get(secretKeyBase);
    if (!key) {
      key = Buffer.from(hkdfSync("sha256", secretKeyBase, Buffer.alloc(0), label, 32));
      keys.set(secretKeyBase, key);
    }
    return key;
  };
  return {
    encrypt(secretKeyBase, plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", keyFor(secretKeyBase), iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv, tag, ciphertext]
        .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
        .join(".");
    },
    decrypt(secretKeyBase, stored) {
      const [version, iv, tag, ciphertext] = stored.split(".");
      if (version !== VERSION || !iv || !tag || ciphertext === undefined) {
        throw new Error(`${label}: not an encrypted token of a known version`);
      }
      const decipher = createDecipheriv(
        "aes-256-gcm",
        keyFor(secretKeyBase),
        Buffer.from(iv, "base64url"),
      );
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, "base64url")),
        decipher.final(),
      ]).toString("utf8");
    },
  };
}
