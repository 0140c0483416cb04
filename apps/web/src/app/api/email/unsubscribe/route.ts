// The unsubscribe link of every alert and customer email, and its RFC 8058
// one-click POST (List-Unsubscribe-Post). GET only shows a confirmation page:
// mail scanners follow links, so nothing changes until the POST.
import { unsubscribeResponse } from "@netia/core";
import { getRuntime } from "@netia/runtime";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

async function handle(request: Request): Promise<Response> {
  const rt = await getRuntime();
  return unsubscribeResponse({ db: rt.db, secretKeyBase: rt.config.secretKeyBase }, request);
}

export { handle as GET, handle as POST };
