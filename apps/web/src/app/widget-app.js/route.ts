// GET /widget-app.js?v=<hash>: the chat chunk the widget loader imports (see ../widget.js/serve.ts).
import { serveWidget } from "../widget.js/serve";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export function GET(request: Request): Promise<Response> {
  return serveWidget(request, "widget-app.js");
}

export { GET as HEAD };
