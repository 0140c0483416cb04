// GET /widget.js: the script-tag loader of the chat widget (see serve.ts).
import { serveWidget } from "./serve";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export function GET(request: Request): Promise<Response> {
  return serveWidget(request, "widget.js");
}

export { GET as HEAD };
