// What the long tasks of a Chromium trace spent their time on: every task of
// the page's main thread longer than the threshold, with the events inside it
// that took longest (script by function and file, garbage collection, style,
// layout, paint). Reads a trace written by `BENCH_UI_TRACE=<file> pnpm
// bench:inbox-ui`:
//
//   pnpm bench:trace-summary <file> [threshold ms, default 50]
import { readFileSync } from "node:fs";

type TraceEvent = {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: Record<string, unknown> };
};

const [file, thresholdArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: trace-summary <trace.json> [threshold ms]");
  process.exit(2);
}
const thresholdUs = Number(thresholdArg ?? 50) * 1000;
const raw = JSON.parse(readFileSync(file, "utf8")) as { traceEvents: TraceEvent[] } | TraceEvent[];
const events = Array.isArray(raw) ? raw : raw.traceEvents;

const mainThreads = new Set(
  events
    .filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain")
    .map((e) => `${e.pid}:${e.tid}`),
);
const onMain = events.filter(
  (e) => e.ph === "X" && e.dur !== undefined && mainThreads.has(`${e.pid}:${e.tid}`),
);
const tasks = onMain
  .filter((e) => e.name === "RunTask" && (e.dur ?? 0) >= thresholdUs)
  .sort((a, b) => a.ts - b.ts);
// A loop, not Math.min(...): a trace holds more events than a call's arguments may.
let start = Number.POSITIVE_INFINITY;
for (const e of onMain) if (e.ts < start) start = e.ts;

/** A readable label: script events name their function and file. */
function label(e: TraceEvent): string {
  const data = e.args?.data;
  const fn = data?.functionName;
  const url = typeof data?.url === "string" ? data.url.split("/").pop() : undefined;
  const type = data?.type;
  return [e.name, fn && `${String(fn)}()`, url, type && `(${String(type)})`]
    .filter(Boolean)
    .join(" ");
}

console.log(`${tasks.length} main-thread tasks of ${thresholdUs / 1000} ms or more in ${file}`);
for (const task of tasks) {
  const end = task.ts + (task.dur ?? 0);
  const inside = onMain.filter(
    (e) => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end && (e.dur ?? 0) >= 2000,
  );
  const totals = new Map<string, number>();
  for (const e of inside) totals.set(label(e), (totals.get(label(e)) ?? 0) + (e.dur ?? 0));
  const top = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
  console.log(
    `\nat ${((task.ts - start) / 1000).toFixed(0)} ms: task of ${((task.dur ?? 0) / 1000).toFixed(1)} ms`,
  );
  for (const [name, us] of top) console.log(`  ${(us / 1000).toFixed(1).padStart(7)} ms  ${name}`);
}
