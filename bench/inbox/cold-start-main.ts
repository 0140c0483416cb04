// `pnpm bench:cold-start`: cold start to healthy on an empty embedded
// database, from the template `pnpm build` makes and without it (initdb), in
// the same run. Needs a production build (`pnpm build`).
import { existsSync, renameSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { embeddedTemplatePath } from "@netia/runtime";
import { type ColdStartResult, coldStart, stop } from "./cold-start";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const RUNS = Number(process.env.BENCH_COLD_START_RUNS ?? 3);

let running: Parameters<typeof stop>[0] | null = null;
const track = (child: typeof running) => {
  running = child;
};
process.on("SIGINT", async () => {
  if (running) await stop(running);
  process.exit(130);
});

const template = embeddedTemplatePath();
if (!existsSync(template)) {
  console.error(`${template} is missing: run \`pnpm build\` first`);
  process.exit(1);
}

function report(label: string, result: ColdStartResult): string {
  if (result.skipped) return `${label}: skipped (${result.reason})`;
  const runs = result.runs.map((r) => r.healthyMs).join(", ");
  return `${label}: median ${result.medianMs} ms to healthy (runs: ${runs} ms)`;
}

console.log(`cold start to healthy, empty embedded database, ${RUNS} runs each`);
const withTemplate = await coldStart(REPO_ROOT, RUNS, console.log, track);
// The same server without the template: set aside for these runs, then put back.
const aside = `${template}.bench-aside`;
renameSync(template, aside);
let withoutTemplate: ColdStartResult;
try {
  withoutTemplate = await coldStart(REPO_ROOT, RUNS, console.log, track);
} finally {
  renameSync(aside, template);
}
console.log(report("from the template", withTemplate));
console.log(report("initdb (no template)", withoutTemplate));
