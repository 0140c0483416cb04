// biome-ignore-all lint/suspicious/noUndeclaredEnvVars: these scripts run outside turbo tasks.
// Helpers shared by the root scripts (`npm start`, `npm test`, `pnpm netia`).
// Plain Node.js with no dependencies: these run before anything is installed.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { constants, homedir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const PNPM_VERSION = "10.34.9";
export const root = dirname(dirname(fileURLToPath(import.meta.url)));
export const webDir = join(root, "apps", "web");

/** Where the user typed the command (npm and pnpm run scripts from the root). */
export const userCwd = process.env.INIT_CWD || process.cwd();

const isWindows = process.platform === "win32";

export function info(message) {
  console.log(`netia: ${message}`);
}

/** Prints `ERROR <message>` lines and exits 1. */
export function fail(...lines) {
  for (const line of lines) console.error(`ERROR ${line}`);
  process.exit(1);
}

function pnpmWorks() {
  const result = spawnSync("pnpm", ["--version"], {
    encoding: "utf8",
    shell: isWindows,
    stdio: ["ignore", "pipe", "ignore"],
  });
  return result.status === 0 ? result.stdout.trim() : null;
}

/** Puts an npm prefix's bin folder on PATH (for child processes) if pnpm runs from there. */
function usePnpmFrom(prefix) {
  const bin = isWindows ? prefix : join(prefix, "bin");
  const before = process.env.PATH;
  process.env.PATH = `${bin}${delimiter}${before ?? ""}`;
  if (pnpmWorks()) {
    info(`pnpm is in ${bin}; add that folder to your PATH to use pnpm directly`);
    return true;
  }
  process.env.PATH = before;
  return false;
}

/** Makes sure `pnpm` runs; installs it with npm when it is missing. */
export function ensurePnpm() {
  if (pnpmWorks()) return;
  info(`pnpm is not installed; installing pnpm@${PNPM_VERSION} with npm (about 5 seconds)`);
  const npm = (args) => spawnSync("npm", args, { stdio: "inherit", shell: isWindows }).status === 0;
  if (npm(["install", "--global", `pnpm@${PNPM_VERSION}`])) {
    if (pnpmWorks()) return;
    // Installed, but npm's global bin folder is not on PATH: use it from there.
    const prefix = spawnSync("npm", ["prefix", "--global"], { encoding: "utf8", shell: isWindows });
    if (prefix.status === 0 && usePnpmFrom(prefix.stdout.trim())) return;
  }

  // No write access to npm's global folder (or its bin folder is not on PATH):
  // install into ~/.local instead and use it from there.
  const prefix = join(homedir(), ".local");
  info(`installing pnpm into ${prefix} instead`);
  if (npm(["install", "--global", "--prefix", prefix, `pnpm@${PNPM_VERSION}`])) {
    if (usePnpmFrom(prefix)) return;
  }
  fail(
    `could not install pnpm. Install it yourself with \`npm install --global pnpm@${PNPM_VERSION}\``,
    "(with sudo if npm's global folder is not writable), then run this command again.",
  );
}

/**
 * Dependencies are current when pnpm's copy of the lockfile in node_modules
 * matches pnpm-lock.yaml (or is newer than it).
 */
function dependenciesCurrent() {
  const lockfile = join(root, "pnpm-lock.yaml");
  const installed = join(root, "node_modules", ".pnpm", "lock.yaml");
  if (!existsSync(installed)) return false;
  if (statSync(installed).mtimeMs >= statSync(lockfile).mtimeMs) return true;
  return readFileSync(installed, "utf8") === readFileSync(lockfile, "utf8");
}

/** Runs `pnpm install --frozen-lockfile` when node_modules is missing or stale. */
export async function ensureDependencies() {
  if (dependenciesCurrent()) return;
  info("installing dependencies (pnpm install --frozen-lockfile)");
  const code = await run("pnpm", ["install", "--frozen-lockfile"]);
  if (code !== 0) {
    fail(
      `pnpm install failed (exit code ${code}); see the output above.`,
      "If pnpm-lock.yaml is out of date, run `pnpm install` and commit the updated lockfile.",
    );
  }
}

/**
 * Runs a command with inherited stdio and resolves with its exit code.
 * SIGINT, SIGTERM and SIGHUP sent to this process are passed on, once, to the
 * command's whole process group, so a server can shut down cleanly.
 */
export function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? root,
      env: options.env ?? process.env,
      stdio: "inherit",
      shell: isWindows,
      // Its own process group: a Ctrl-C reaches it through us exactly once.
      detached: !isWindows,
    });
    const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
    const forward = (signal) => {
      try {
        if (isWindows) child.kill(signal);
        else process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const killOnExit = () => forward("SIGTERM");
    for (const signal of signals) process.on(signal, forward);
    process.on("exit", killOnExit);
    child.on("error", (error) => {
      console.error(`ERROR could not start ${command}: ${error.message}`);
      resolve(127);
    });
    child.on("exit", (code, signal) => {
      for (const s of signals) process.off(s, forward);
      process.off("exit", killOnExit);
      resolve(code ?? 128 + (constants.signals[signal] ?? 0));
    });
  });
}

/** Runs a command and exits this process with its exit code. */
export async function exec(command, args, options) {
  process.exit(await run(command, args, options));
}

/** Arguments given to the script, without `node` and the script path. */
// `pnpm test -- <path>` passes the "--" on (npm does not): drop it, or vitest
// would take everything after it as something other than file filters.
export const argv =
  process.argv.slice(2)[0] === "--" ? process.argv.slice(3) : process.argv.slice(2);
