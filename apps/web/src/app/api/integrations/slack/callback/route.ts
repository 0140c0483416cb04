// Slack's redirect after the consent screen: stores the workspace's connection
// (bot token encrypted) and returns the admin to Settings → Slack.
import { handleSlackCallback } from "@netia/api/slack-install";
import { getRuntime } from "@netia/runtime";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request): Promise<Response> {
  const { redirect } = await handleSlackCallback(await getRuntime(), {
    url: request.url,
    headers: request.headers,
  });
  return Response.redirect(redirect, 303);
}
