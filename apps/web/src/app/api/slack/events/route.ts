// Slack's Events API callbacks (docs/slack-inbound.md): verified, stored once
// with their job and answered at once.
import { handleSlackEvents } from "@netia/api/slack-requests";
import { getRuntime } from "@netia/runtime";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  return handleSlackEvents(await getRuntime(), request);
}
