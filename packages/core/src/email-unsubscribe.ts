// Unsubscribe links for every email Netia sends on its own initiative (agent
// alerts, emails to customers). The token names who unsubscribes and is
// signed with a key derived from SECRET_KEY_BASE for this purpose alone, so no
// table is needed and nobody can forge one for someone else:
//   <base64url of {k: "agent"|"customer", i: id, a: accountId}>.<base64url HMAC-SHA256, 128 bits>
// The link opens a confirmation page; the change itself is a POST (RFC 8058
// one-click, sent by the mail client with `List-Unsubscribe=One-Click`), so
// mail scanners that follow links never unsubscribe anyone.
import { createHmac, timingSafeEqual } from "node:crypto";
import { type Db, schema } from "@netia/db";
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { updateNotificationPreferences } from "./notification-preferences";

export type UnsubscribeTarget = {
  kind: "agent" | "customer";
  /** The agent's user id, or the customer's id. */
  id: string;
  accountId: string;
};

const ZPayload = z.object({
  k: z.enum(["agent", "customer"]),
  i: z.string().min(1).max(100),
  a: z.uuid(),
});

function mac(secretKeyBase: string, payload: string): Buffer {
  const key = createHmac("sha256", secretKeyBase).update("netia:email-unsubscribe").digest();
  return createHmac("sha256", key).update(payload).digest().subarray(0, 16);
}

export function unsubscribeToken(secretKeyBase: string, target: UnsubscribeTarget): string {
  const payload = Buffer.from(
    JSON.stringify({ k: target.kind, i: target.id, a: target.accountId }),
  ).toString("base64url");
  return `${payload}.${mac(secretKeyBase, payload).toString("base64url")}`;
}

/** Who the token unsubscribes, or null when it is malformed or not signed by this server. */
export function verifyUnsubscribeToken(
  secretKeyBase: string,
  token: string,
): UnsubscribeTarget | null {
  if (token.length > 500) return null;
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined) return null;
  const given = Buffer.from(signature, "base64url");
  const expected = mac(secretKeyBase, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed = ZPayload.safeParse(JSON.parse(Buffer.from(payload, "base64url").toString()));
    if (!parsed.success) return null;
    return { kind: parsed.data.k, id: parsed.data.i, accountId: parsed.data.a };
  } catch {
    return null;
  }
}

/** The link of the unsubscribe page (and of the List-Unsubscribe header). */
export function unsubscribeUrl(
  settings: { secretKeyBase: string; backendUrl: string },
  target: UnsubscribeTarget,
): string {
  const url = new URL("/api/email/unsubscribe", settings.backendUrl);
  url.searchParams.set("token", unsubscribeToken(settings.secretKeyBase, target));
  return url.toString();
}

/** The RFC 2369 / RFC 8058 headers that let mail clients offer a one-click unsubscribe. */
export function unsubscribeHeaders(url: string): Record<string, string> {
  return { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

/**
 * Turns the emails off: an agent's email alerts (every email switch of their
 * preferences), or every conversation email to a customer. Idempotent.
 * Returns false when the person no longer exists in the account.
 */
export async function applyUnsubscribe(db: Db, target: UnsubscribeTarget): Promise<boolean> {
  if (target.kind === "agent") {
    try {
      await updateNotificationPreferences(
        db,
        { accountId: target.accountId, userId: target.id },
        {
          emailNewConversation: false,
          emailAssignedMessage: false,
          emailMention: false,
          emailHandoff: false,
        },
      );
      return true;
    } catch {
      return false;
    }
  }
  if (!z.uuid().safeParse(target.id).success) return false;
  const match = and(
    eq(schema.customers.accountId, target.accountId),
    eq(schema.customers.id, target.id),
  );
  await db
    .update(schema.customers)
    .set({ emailUnsubscribedAt: new Date() })
    .where(and(match, isNull(schema.customers.emailUnsubscribedAt)));
  const [row] = await db
    .select({ id: schema.customers.id })
    .from(schema.customers)
    .where(match)
    .limit(1);
  return !!row;
}
