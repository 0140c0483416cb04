// `npm start`: install what is missing, build once, then serve Netia in
// production mode on PORT (4000 by default). With no DATABASE_URL the data
// lives in an embedded database under apps/web/.netia.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ensureDependencies, ensurePnpm, exec, fail, info, run, userCwd, webDir } from "./lib.mjs";

ensurePnpm();
await ensureDependencies();

if (!existsSync(join(webDir, ".next", "BUILD_ID"))) {
  info("no build found; building Netia (pnpm build)");
  const code = await run("pnpm", ["build"]);
  if (code !== 0) fail(`pnpm build failed (exit code ${code}); see the output above.`);
}

if (!existsSync(join(webDir, "server.ts"))) fail(`${join(webDir, "server.ts")} is missing.`);

const env = { ...process.env, NODE_ENV: "production" };
// A relative NETIA_DATA_DIR means relative to where the command was typed.
if (env.NETIA_DATA_DIR) env.NETIA_DATA_DIR = resolve(userCwd, env.NETIA_DATA_DIR);

// Production mode requires SECRET_KEY_BASE. On a machine where none is set,
// keep one in the data folder (the same file development mode uses), so
// sessions survive restarts without any set-up.
if (!env.SECRET_KEY_BASE) {
  const dataDir = resolve(webDir, env.NETIA_DATA_DIR || ".netia");
  const file = join(dataDir, "secret_key_base");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${randomBytes(64).toString("base64url")}\n`, { mode: 0o600 });
  }
  env.SECRET_KEY_BASE = readFileSync(file, "utf8").trim();
  info(`SECRET_KEY_BASE is not set; using the one kept in ${file}`);
}

const port = env.PORT || "4000";
info(`starting Netia on http://localhost:${port} (first visit: http://localhost:${port}/signup)`);
info(
  env.DATABASE_URL
    ? "database: Postgres from DATABASE_URL"
    : `database: embedded, in ${resolve(webDir, env.NETIA_DATA_DIR || ".netia", "db")}`,
);

// The server runs directly under Node (tsx as a loader) rather than through
// `pnpm start`, because pnpm does not pass SIGTERM on to the process it runs.
await exec(process.execPath, ["--import", "tsx", "server.ts"], { cwd: webDir, env });
