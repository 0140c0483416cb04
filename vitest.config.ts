import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// One `vitest run` covers every package; each package is a named project
// (`pnpm vitest run --project core`). The global setup, at the root only so it
// runs once, prepares the database all test files share.
const shared = { testTimeout: 30_000, hookTimeout: 60_000 };
// Test helpers (`@netia/api/testing`) are exported under this condition only:
// tests and benchmarks resolve them, production code cannot.
const ssr = { resolve: { conditions: [...defaultServerConditions, "netia-test"] } };
const packages = ["config", "db", "core", "ai", "api", "realtime", "jobs", "widget", "testkit"];

export default defineConfig({
  test: {
    globalSetup: ["./packages/db/src/testing/global-setup.ts"],
    projects: [
      ...packages.map((name) => ({
        ssr,
        test: { ...shared, name, include: [`packages/${name}/src/**/*.test.ts`] },
      })),
      // Checks of the repository as a whole (the dependency graph).
      { test: { ...shared, name: "repo", include: ["scripts/**/*.test.ts"] } },
      {
        ssr,
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
