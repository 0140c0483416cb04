// Test-only (exported under the "netia-test" condition alone). The
// configuration tests run with: development defaults, silent logs, open
// sign-up, and a data folder of their own.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Config, loadConfig } from "../index";

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: "test",
    NETIA_DATA_DIR: mkdtempSync(join(tmpdir(), "netia-data-")),
    SECRET_KEY_BASE: "test-secret-".padEnd(64, "x"),
    LOG_LEVEL: "silent",
    // Tests sign up many accounts on one database; registration.test.ts checks the other modes.
    NETIA_REGISTRATION: "open",
    ...overrides,
  });
}
