// Runs before every test file (vitest `setupFiles`): gives the file a
// Postgres database of its own, copied from the run's migrated template, and
// drops it after the file. Test files then never see each other's rows or
// take each other's background jobs, so they can run side by side. Whatever
// the file starts (runtimes, server processes) reads the database from
// NETIA_TEST_DATABASE_URL.
import { createScratchDatabase } from "@netia/testkit/postgres";
import { afterAll } from "vitest";
import { TEST_DATABASE_URL_ENV, TEST_TEMPLATE_URL_ENV } from "./index";

const template = process.env[TEST_TEMPLATE_URL_ENV];
if (template) {
  const scratch = await createScratchDatabase(
    "netia_test_file",
    decodeURIComponent(new URL(template).pathname.slice(1)),
  );
  process.env[TEST_DATABASE_URL_ENV] = scratch.url;
  afterAll(async () => {
    await scratch.drop();
  });
}
