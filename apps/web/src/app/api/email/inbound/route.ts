// The same endpoint without the "/mime" suffix, for senders that post the raw
// message (`body-mime`) in Mailgun's format to a URL of their choosing.
import { handleMailgunInbound } from "@netia/api/inbound-email";
import { getRuntime } from "@netia/runtime";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  return handleMailgunInbound(await getRuntime(), request);
}
