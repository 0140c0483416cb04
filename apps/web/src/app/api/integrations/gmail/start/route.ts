// Sends a signed-in admin to Google's consent screen to connect a Gmail mailbox
// to an inbox (?inboxId=…); the callback route finishes the connection.
import { handleGmailStart } from "@netia/api/gmail-callback";
import { getRuntime } from "@netia/runtime";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request): Promise<Response> {
  const { redirect } = await handleGmailStart(await getRuntime(), {
    url: request.url,
    headers: request.headers,
  });
  return Response.redirect(redirect, 303);
}
