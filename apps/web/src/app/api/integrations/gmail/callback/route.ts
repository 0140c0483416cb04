// Google's redirect after the consent screen: stores the connection (tokens
// encrypted), starts its first sync, and returns the admin to the settings page.
import { handleGmailCallback } from "@netia/api/gmail-callback";
import { getRuntime } from "@netia/runtime";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request): Promise<Response> {
  const { redirect } = await handleGmailCallback(await getRuntime(), {
    url: request.url,
    headers: request.headers,
  });
  return Response.redirect(redirect, 303);
}
