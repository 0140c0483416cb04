import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// One `vitest run` covers every package; each package is a named project
// (`pnpm vitest run --project core`). The global setup, at the root only so it
// runs once, prepares the database all test files share.
// Each test file gets a database of its own, copied from the migrated one.
const shared = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  setupFiles: ["./packages/db/src/testing/file-database.ts"],
};
// Test helpers (`@netia/api/testing`) are exported under this condition only:
// tests and benchmarks resolve them, production code cannot.
const ssr = { resolve: { conditions: [...defaultServerConditions, "netia-test"] } };
/** Test files that spawn Netia server processes (a cluster of nodes, a cold boot). */
const SPAWNING_SERVERS = ["apps/web/src/e2e/*.nodes.test.ts", "apps/web/src/e2e/boot.test.ts"];
const packages = [
  "config",
  "db",
  "core",
  "ai",
  "api",
  "realtime",
  "jobs",
  "email",
  "gmail",
  "slack",
  "webhooks",
  "widget",
  "sdk",
  "testkit",
];

export default defineConfig({
  test: {
    globalSetup: ["./packages/db/src/testing/global-setup.ts"],
    projects: [
      // The packages' files first, two at a time: each has a database of its
      // own, and they spend much of their time waiting on Postgres.
      ...packages.map((name) => ({
        ssr,
        test: {
          ...shared,
          name,
          include: [`packages/${name}/src/**/*.test.ts`],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      })),
      // Checks of the repository as a whole (the dependency graph).
      {
        test: {
          ...shared,
          name: "repo",
          include: ["scripts/**/*.test.ts"],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        ssr,
        test: {
          ...shared,
          name: "web",
          // Vitest runs one worker fewer than the cores: on 2 cores, one file at
          // a time. Two browser files at once made waits of the inbox test run
          // out (47 s against 18 s alone), so they stay one at a time.
          include: ["apps/web/**/*.test.ts"],
          exclude: ["**/node_modules/**", "**/.next/**", ...SPAWNING_SERVERS],
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
      {
        ssr,
        test: {
          ...shared,
          name: "web-nodes",
          // These start several server processes each and kill them on purpose;
          // one file at a time, so a slow start is never a neighbour's doing.
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
          include: SPAWNING_SERVERS,
        },
      },
    ],
  },
});
