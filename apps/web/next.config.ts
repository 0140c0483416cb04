import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Internal packages ship TypeScript source; Next compiles them with the app.
  transpilePackages: [
    "@netia/api",
    "@netia/runtime",
    "@netia/jobs",
    "@netia/core",
    "@netia/db",
    "@netia/config",
    "@netia/email",
  ],
  // Loaded from node_modules at run time rather than bundled (native code, WASM, workers).
  serverExternalPackages: ["@electric-sql/pglite", "pg", "pg-boss", "pino", "better-auth"],
  poweredByHeader: false,
  reactStrictMode: true,
  // `pnpm typecheck` checks the dashboard with every package in one pass (CI
  // runs it before building); checking again here would double the build's time.
  typescript: { ignoreBuildErrors: true },
  // The floating dev-mode badge covers the bottom of the conversation list.
  devIndicators: false,
};

export default nextConfig;
