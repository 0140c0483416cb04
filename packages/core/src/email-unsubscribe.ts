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
import { AppError } from "./errors";
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
    } catch (error) {
      if (error instanceof AppError && error.code === "NOT_FOUND") return false;
      throw error;
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

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

function page(status: number, title: string, body: string): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>body{font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;background:#f6f7f9;color:#1f2937;margin:0;padding:48px 16px}main{max-width:480px;margin:0 auto;background:#fff;border:1px solid #e4e6eb;border-radius:8px;padding:24px 32px}h1{font-size:20px;margin:0 0 12px}button{background:#2563eb;color:#fff;border:0;border-radius:6px;font-size:14px;font-weight:600;padding:10px 18px;cursor:pointer}</style></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
  return new Response(html, {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
    },
  });
}

/**
 * The unsubscribe endpoint (`/api/email/unsubscribe?token=…`). GET shows a
 * page with a button and changes nothing (mail scanners follow links); POST —
 * the button, or a mail client's RFC 8058 one-click request — unsubscribes
 * and answers 200. A token this server did not sign is refused with 400.
 */
export async function unsubscribeResponse(
  deps: { db: Db; secretKeyBase: string },
  request: Request,
): Promise<Response> {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const target = verifyUnsubscribeToken(deps.secretKeyBase, token);
  if (!target) {
    return page(
      400,
      "This unsubscribe link is not valid",
      "<p>It may have been cut short or changed. Use the link at the bottom of the email itself.</p>",
    );
  }
  const what =
    target.kind === "agent"
      ? "email alerts about conversations"
      : "emails about your conversations";
  if (request.method === "POST") {
    const found = await applyUnsubscribe(deps.db, target);
    if (!found)
      return page(404, "Nothing to unsubscribe", "<p>This address is no longer on file.</p>");
    return page(
      200,
      "You are unsubscribed",
      `<p>You will get no more ${what}.${target.kind === "agent" ? " You can turn them back on in Settings → Notifications." : ""}</p>`,
    );
  }
  const action = `?token=${encodeURIComponent(token)}`;
  return page(
    200,
    "Unsubscribe?",
    `<p>Stop receiving ${what}?</p><form method="post" action="${escapeHtml(action)}"><button type="submit">Unsubscribe</button></form>`,
  );
}
