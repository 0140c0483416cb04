// `pnpm netia <command>`: runs the netia command (apps/web/cli.ts), the same
// one the container's docker-entrypoint.sh runs. `pnpm netia help` lists commands.
import { resolve } from "node:path";
import { argv, ensureDependencies, ensurePnpm, exec, userCwd, webDir } from "./lib.mjs";

ensurePnpm();
await ensureDependencies();

const env = { ...process.env };
// The command runs inside apps/web; a relative NETIA_DATA_DIR means relative
// to where it was typed.
if (env.NETIA_DATA_DIR) env.NETIA_DATA_DIR = resolve(userCwd, env.NETIA_DATA_DIR);

await exec(process.execPath, ["--import", "tsx", "cli.ts", ...argv], { cwd: webDir, env });
