// The inbound-parse endpoint, in Mailgun's "forward to URL" format with the
// raw message (docs/email-inbound.md): a Mailgun route forwards each mail for
// INBOUND_EMAIL_DOMAIN to POST /api/email/inbound/mime as multipart/form-data
// with `body-mime`, signed with the webhook signing key. The answer tells
// Mailgun what to do: 200 taken (or ignored on purpose), 406 drop it (no
// address of ours: never retry), 401 not signed by Mailgun, 5xx try later.
import { receiveInboundEmail } from "@netia/core";
import { INBOUND_MAX_BYTES, MAILGUN_MAX_AGE_SECONDS, verifyMailgunSignature } from "@netia/email";
import type { Runtime } from "@netia/runtime";
import { usedOnce } from "./used-once";

/** The form around the message (signature fields, parsed headers Mailgun adds) fits in this. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

type Answer = { status: number; body: Record<string, unknown> };

const answer = (status: number, body: Record<string, unknown>): Answer => ({ status, body });

/**
 * Tokens of signatures already used, so a captured request cannot be sent
 * again (the signature covers the timestamp and token, not the message).
 */
const usedTokens = (rt: Runtime) =>
  usedOnce(rt, "inbound-email:token", MAILGUN_MAX_AGE_SECONDS + 60);

async function formOf(request: Request): Promise<FormData | null> {
  try {
    return await request.formData();
  } catch {
    return null;
  }
}

async function handle(rt: Runtime, request: Request): Promise<Answer> {
  const { inboundSigningKey: signingKey, inboundDomain } = rt.config.email;
  if (!signingKey || !inboundDomain) {
    // A configuration to fix, not mail to lose: Mailgun retries for hours.
    return answer(503, { error: "inbound email is not configured on this server" });
  }
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > INBOUND_MAX_BYTES + FORM_OVERHEAD_BYTES) {
    return answer(406, { error: "message too large" });
  }
  const form = await formOf(request);
  if (!form) return answer(400, { error: "expected multipart/form-data with body-mime" });
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : null;
  };
  const timestamp = field("timestamp");
  const token = field("token");
  const signature = field("signature");
  if (!timestamp || !token || !signature || token.length > 200) {
    return answer(401, { error: "missing timestamp, token or signature" });
  }
  const check = verifyMailgunSignature(signingKey, { timestamp, token, signature });
  if (check === "bad_signature") return answer(401, { error: "bad signature" });
  if (check === "expired") return answer(401, { error: "timestamp older than 5 minutes" });
  const mime = form.get("body-mime");
  if (mime === null)
    return answer(400, { error: "body-mime is missing: forward to a URL ending in /mime" });
  const raw =
    typeof mime === "string" ? Buffer.from(mime, "utf8") : Buffer.from(await mime.arrayBuffer());
  if (raw.byteLength > INBOUND_MAX_BYTES) return answer(406, { error: "message too large" });
  const tokens = usedTokens(rt);
  if (!(await tokens.claim(token))) return answer(401, { error: "signature already used" });
  const envelopeTo = (field("recipient") ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean);
  try {
    const result = await receiveInboundEmail(
      {
        db: rt.db,
        bus: rt.bus,
        logger: rt.logger,
        jobs: rt.jobs,
        ai: rt.ai,
        settings: { secretKeyBase: rt.config.secretKeyBase, inboundDomain },
      },
      { raw, source: "http", envelopeTo },
    );
    if (result.deliveries.length === 0) {
      return answer(406, {
        error: "no recipient is an address of this server",
        refused: result.refused.map((r) => r.reason),
      });
    }
    return answer(200, { outcomes: result.deliveries.map((d) => d.outcome) });
  } catch (err) {
    // Let Mailgun send it again, with a new token, once the database is back.
    await tokens.release(token).catch(() => {});
    rt.logger.error({ err }, "inbound email not stored; Mailgun will retry");
    return answer(503, { error: "temporary failure, try again later" });
  }
}

/** Answers one POST of Mailgun's forward-to-URL webhook (raw MIME). */
export async function handleMailgunInbound(rt: Runtime, request: Request): Promise<Response> {
  const { status, body } = await handle(rt, request);
  return Response.json(body, { status });
}
