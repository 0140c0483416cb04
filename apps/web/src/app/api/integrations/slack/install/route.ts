// Sends a signed-in admin to Slack's consent screen to install Netia's app;
// the callback route finishes the install.
import { handleSlackInstall } from "@netia/api/slack-install";
import { getRuntime } from "@netia/runtime";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request): Promise<Response> {
  const { redirect } = await handleSlackInstall(await getRuntime(), {
    url: request.url,
    headers: request.headers,
  });
  return Response.redirect(redirect, 303);
}
