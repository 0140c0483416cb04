// A new embedded database starts from a template instead of an empty folder.
// PGlite creates a database by running initdb in WebAssembly, which takes
// seconds (most of a first `npm start`); unpacking a data folder that was
// initialised, migrated and given the job queue's schema at build time takes a
// fraction of that. The template is made by `pnpm build`
// (build-embedded-template.ts) and named after the PGlite version that wrote
// it, so a template from another version is never loaded. Without one, the
// database is created the slow way; migrations newer than the template are
// applied on boot as always.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { Config } from "@netia/config";
import { createDatabase, type Database } from "@netia/db";

function pgliteVersion(): string {
  // The package's main file sits in dist/; its package.json one folder up.
  const main = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const manifest = JSON.parse(readFileSync(join(dirname(main), "..", "package.json"), "utf8"));
  return String(manifest.version);
}

/** Where `pnpm build` writes the template for the installed PGlite. */
export function embeddedTemplatePath(): string {
  // Not `new URL("../dist/", import.meta.url)`: bundlers take that for an asset
  // to bundle, and the web app's bundle includes this module (it never calls it).
  const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
  return join(dist, `embedded-database-pglite-${pgliteVersion()}.tar.gz`);
}

/** Opens the configured database; a new embedded one is unpacked from the template when there is one. */
export function openDatabase(options: Config["database"]): Database {
  if (options.kind === "pglite" && !existsSync(join(options.dir, "PG_VERSION"))) {
    const template = embeddedTemplatePath();
    if (existsSync(template)) {
      const loadDataDir = new Blob([readFileSync(template)]);
      return createDatabase({
        kind: "pglite-instance",
        client: new PGlite(options.dir, { loadDataDir }),
      });
    }
  }
  return createDatabase(options);
}
