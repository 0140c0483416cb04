// Slack's interactivity requests (the Resolve and Reopen buttons,
// docs/slack-inbound.md): verified, stored once with their job and answered at once.
import { handleSlackInteractivity } from "@netia/api/slack-requests";
import { getRuntime } from "@netia/runtime";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  return handleSlackInteractivity(await getRuntime(), request);
}
