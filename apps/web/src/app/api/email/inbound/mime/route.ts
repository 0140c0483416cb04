// Mailgun's "forward to URL" webhook with the raw message: a route whose
// action is forward("https://<netia>/api/email/inbound/mime") posts each mail
// for INBOUND_EMAIL_DOMAIN here (docs/email-inbound.md). Mailgun sends the raw
// MIME only to URLs ending in "mime", hence the path.
import { handleMailgunInbound } from "@netia/api/inbound-email";
import { getRuntime } from "@netia/runtime";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  return handleMailgunInbound(await getRuntime(), request);
}
