import type { Metadata } from "next";
import { Providers } from "@/components/providers";
import "./globals.css";

// Rendered per request, never prerendered: each page's scripts carry the nonce
// of that response's Content-Security-Policy (lib/server/security-headers.ts).
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Netia", template: "%s · Netia" },
  description: "Customer messaging: live chat, shared inbox and AI assistant.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
