import type { Metadata } from "next";
import { headers } from "next/headers";
import { Providers } from "@/components/providers";
import { THEME_SCRIPT } from "@/components/theme/theme-script";
import "./globals.css";

// Rendered per request, never prerendered: each page's scripts carry the nonce
// of that response's Content-Security-Policy (lib/server/security-headers.ts).
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Netia", template: "%s · Netia" },
  description: "Customer messaging: live chat, shared inbox and AI assistant.",
};

/** The nonce the custom server put in this request's CSP header, for our inline script. */
async function scriptNonce(): Promise<string | undefined> {
  const csp = (await headers()).get("content-security-policy") ?? "";
  return /'nonce-([^']+)'/.exec(csp)?.[1];
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const nonce = await scriptNonce();
  return (
    // The theme script sets the `dark` class and color-scheme before React hydrates;
    // it is a constant of ours, with no user input.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen font-sans">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
