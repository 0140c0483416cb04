// `pnpm build` step: writes the embedded-database template (see
// embedded-template.ts). A runtime on an in-memory PGlite runs every migration
// and installs the job queue's schema, then the data folder is dumped.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { loadConfig } from "@netia/config";
import { createDatabase } from "@netia/db";
import { embeddedTemplatePath } from "./embedded-template";
import { createRuntime } from "./runtime";

const scratch = mkdtempSync(join(tmpdir(), "netia-template-"));
const client = new PGlite();
try {
  const config = loadConfig({
    NETIA_DATA_DIR: scratch,
    SECRET_KEY_BASE: randomBytes(48).toString("base64url"),
    RUN_JOBS: "false",
    LOG_LEVEL: "warn",
  });
  const runtime = await createRuntime({
    config,
    database: createDatabase({ kind: "pglite-instance", client }),
  });
  await runtime.jobs.stop();
  await runtime.realtime.close();
  const dump = await client.dumpDataDir("gzip");
  const path = embeddedTemplatePath();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
  console.log(`embedded database template: ${path} (${Math.round(dump.size / 1024)} KiB)`);
} finally {
  await client.close();
  rmSync(scratch, { recursive: true, force: true });
}
