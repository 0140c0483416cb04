import { defineConfig } from "vitest/config";

// One `vitest run` covers every package; each package is a named project
// (`pnpm vitest run --project core`). The global setup, at the root only so it
// runs once, prepares the database all test files share.
const shared = { testTimeout: 30_000, hookTimeout: 60_000 };
const packages = ["config", "db", "core", "api", "realtime", "jobs", "widget"];

export default defineConfig({
  test: {
    globalSetup: ["./packages/testkit/src/global-setup.ts"],
    projects: [
      ...packages.map((name) => ({
        test: { ...shared, name, include: [`packages/${name}/src/**/*.test.ts`] },
      })),
      {
        test: {
          ...shared,
          name: "web",
          // Each file starts servers and Chromium; run them one at a time so that
          // timing-sensitive browser checks do not compete for the same 2 cores.
          fileParallelism: false,
          include: ["apps/web/**/*.test.ts"],
          exclude: ["**/node_modules/**", "**/.next/**"],
        },
      },
    ],
  },
});
