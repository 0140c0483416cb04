// biome-ignore-all lint/suspicious/noUndeclaredEnvVars: these scripts run outside turbo tasks.
// `npm test`: the whole suite (unit, integration against Postgres and Redis,
// browser tests in Chromium) in one `vitest run`. Extra arguments go to vitest,
// e.g. `npm test -- packages/db`.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import { argv, ensureDependencies, ensurePnpm, exec, fail, info } from "./lib.mjs";

const ci = process.env.CI === "true" || process.env.CI === "1";

ensurePnpm();
await ensureDependencies();

// Chromium for the browser tests.
const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
if (!existsSync(chromium)) {
  if (process.env.CHROMIUM_PATH) {
    fail(
      `CHROMIUM_PATH is ${chromium}, but no file is there; point it at a Chromium or Chrome binary.`,
    );
  }
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
  if (isRoot && hasApt) {
    info("Chromium is missing; installing it (apt-get install -y chromium)");
    const update = spawnSync("apt-get", ["update"], { stdio: "inherit" });
    const install =
      update.status === 0 &&
      spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], {
        stdio: "inherit",
      }).status === 0;
    if (!install || !existsSync(chromium)) fail("could not install Chromium with apt-get.");
  } else {
    fail(
      "the browser tests need Chromium, and /usr/bin/chromium does not exist.",
      "Install it (Debian/Ubuntu: `sudo apt-get install -y chromium`), or set CHROMIUM_PATH",
      "to a Chromium or Chrome binary, then run `npm test` again.",
    );
  }
}

/** host and port of a URL, with defaults for what it leaves out. */
function endpoint(url, fallbackPort) {
  try {
    const u = new URL(url);
    return {
      host: u.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1",
      port: Number(u.port) || fallbackPort,
    };
  } catch {
    return { host: "127.0.0.1", port: fallbackPort };
  }
}

function reachable({ host, port }) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

const postgresUrl =
  process.env.NETIA_TEST_POSTGRES_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const postgres = endpoint(postgresUrl, 5432);
const redis = endpoint(process.env.REDIS_URL || "redis://127.0.0.1:6379", 6379);
const [postgresUp, redisUp] = await Promise.all([reachable(postgres), reachable(redis)]);

const missing = [];
if (!postgresUp) {
  missing.push(
    `Postgres is not reachable at ${postgres.host}:${postgres.port} (NETIA_TEST_POSTGRES_URL).`,
  );
}
if (!redisUp) missing.push(`Redis is not reachable at ${redis.host}:${redis.port} (REDIS_URL).`);
if (missing.length > 0 && ci) {
  fail(...missing, "CI=true runs every test against real services: start them and run again.");
}
if (!postgresUp) {
  info(`${missing[0]} Database tests run on the embedded PGlite instead.`);
}
if (!redisUp) {
  info(
    `Redis is not reachable at ${redis.host}:${redis.port}; tests that need a real Redis are skipped.`,
  );
}

await exec("pnpm", ["exec", "vitest", "run", ...argv]);
