// GET /try-widget?token=<account id>: a bare page with the account's chat
// widget, as a website would embed it, so a new team can send itself a test
// message before installing the snippet anywhere. The token is public (it is
// in every embed snippet). A visitor here counts as a customer message for
// onboarding, not as an installed widget (packages/core/src/onboarding.ts).
import { z } from "zod";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const ZToken = z.uuid();

/** The nonce of this response's Content-Security-Policy (set by the custom server). */
function nonceOf(request: Request): string {
  const csp = request.headers.get("content-security-policy") ?? "";
  return /'nonce-([^']+)'/.exec(csp)?.[1] ?? "";
}

const PAGE_STYLE = `
  :root { color-scheme: light dark; font-family: ui-sans-serif, system-ui, sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; padding: 1.5rem;
         box-sizing: border-box; background: Canvas; color: CanvasText; }
  main { max-width: 32rem; line-height: 1.5; }
  h1 { font-size: 1.5rem; margin: 0 0 0.5rem; }
  p { margin: 0 0 0.75rem; }
`;

export function GET(request: Request): Response {
  const token = ZToken.safeParse(new URL(request.url).searchParams.get("token"));
  if (!token.success) {
    return new Response("A ?token=<account id> is required.", {
      status: 400,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  }
  const nonce = nonceOf(request);
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="/icon.svg">
<title>Try the chat widget · Netia</title>
<style>${PAGE_STYLE}</style>
<script src="/widget.js" data-token="${token.data}" nonce="${nonce}" async></script>
</head>
<body>
<main>
<h1>Try your chat widget</h1>
<p>This page embeds your chat widget the way your website will. Open it with the button in the corner and send a message: it arrives in your inbox as a customer's.</p>
<p>Then go back to the dashboard to answer it.</p>
</main>
</body>
</html>`;
  return new Response(html, {
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}
