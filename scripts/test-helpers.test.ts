// Test helpers are not part of any package's surface: `@netia/api/testing`
// resolves only under the "netia-test" condition (set by vitest and the
// benchmarks), so the server and the route handlers cannot load it.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const webApp = join(dirname(fileURLToPath(import.meta.url)), "..", "apps", "web");

/** What Node makes of `specifier` from apps/web: "resolved", or the error's code. */
function resolveFromWebApp(specifier: string, conditions: string[] = []): string {
  const script = `try { import.meta.resolve(${JSON.stringify(specifier)}); console.log("resolved"); }
    catch (error) { console.log(error.code ?? String(error)); }`;
  const result = spawnSync(
    process.execPath,
    [...conditions.map((c) => `--conditions=${c}`), "--input-type=module", "-e", script],
    { cwd: webApp, encoding: "utf8" },
  );
  return result.stdout.trim();
}

describe("test helpers", () => {
  it("cannot be imported by production code", () => {
    expect(resolveFromWebApp("@netia/api/testing")).toBe("ERR_PACKAGE_PATH_NOT_EXPORTED");
    expect(resolveFromWebApp("@netia/api/testing/fixtures")).toBe("ERR_PACKAGE_PATH_NOT_EXPORTED");
    expect(resolveFromWebApp("@netia/db/testing")).toBe("ERR_PACKAGE_PATH_NOT_EXPORTED");
    expect(resolveFromWebApp("@netia/config/testing")).toBe("ERR_PACKAGE_PATH_NOT_EXPORTED");
  });

  it("resolve for tests and benchmarks", () => {
    expect(resolveFromWebApp("@netia/api/testing", ["netia-test"])).toBe("resolved");
    expect(resolveFromWebApp("@netia/db/testing", ["netia-test"])).toBe("resolved");
    expect(resolveFromWebApp("@netia/api", [])).toBe("resolved");
  });
});
