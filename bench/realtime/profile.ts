// In-process profiling for the benchmark's server processes, through the
// inspector: a CPU profile (where the time goes while messages flow) and a
// sampling heap profile (which allocation sites hold the memory that is still
// live when it stops: per-connection state, for the connections test). Both
// are summarised in the process, by function and by package, and the raw
// profile is written next to the results for Chrome DevTools.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";

type CallFrame = { functionName: string; url: string; lineNumber: number };
type CpuNode = { id: number; callFrame: CallFrame; hitCount?: number; children?: number[] };
type CpuProfile = {
  nodes: CpuNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
};
type HeapNode = { callFrame: CallFrame; selfSize: number; children: HeapNode[] };

export type Ranked = { name: string; value: number; share: number };
export type ProfileSummary = {
  file: string;
  /** Milliseconds (CPU) or bytes (heap) in all. */
  total: number;
  /** By package or area (Netia's own packages, dependencies, Node internals, GC). */
  byArea: Ranked[];
  /** Functions by their own (self) time or allocations. */
  bySelf: Ranked[];
  /** Netia's own functions (packages/, apps/web) by inclusive time or allocations. */
  netiaInclusive: Ranked[];
};

let session: Session | null = null;

async function connected(): Promise<Session> {
  if (!session) {
    session = new Session();
    session.connect();
  }
  return session;
}

/** The package (or Netia workspace folder) a script belongs to. */
export function areaOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName.startsWith("(")) return functionName; // (garbage collector), (program), (idle)
    return "(native)";
  }
  if (url.startsWith("node:")) return "node internals";
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/);
  if (pkg?.[1]) return pkg[1];
  const ws = url.match(/\/(packages\/[^/]+|apps\/[^/]+|bench)\//);
  if (ws?.[1]) return ws[1];
  return url.replace(/^file:\/\//, "");
}

function keyOf(frame: CallFrame): string {
  const file = frame.url
    .replace(/^file:\/\//, "")
    .replace(/.*\/node_modules\/(?!.*node_modules\/)/, "")
    .replace(/.*\/(packages|apps)\//, "$1/");
  const name = frame.functionName || "(anonymous)";
  return file ? `${name} ${file}:${frame.lineNumber + 1}` : name;
}

const isNetia = (url: string) => /\/(packages|apps)\//.test(url) && !url.includes("/node_modules/");

function rank(map: Map<string, number>, total: number, top: number): Ranked[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, value]) => ({
      name,
      value: Math.round(value * 10) / 10,
      share: Math.round((value / Math.max(1, total)) * 1000) / 10,
    }));
}

const add = (map: Map<string, number>, key: string, v: number) =>
  map.set(key, (map.get(key) ?? 0) + v);

export async function startCpuProfile(): Promise<void> {
  const s = await connected();
  await s.post("Profiler.enable");
  await s.post("Profiler.setSamplingInterval", { interval: 500 });
  await s.post("Profiler.start");
}

export async function stopCpuProfile(file: string, top = 25): Promise<ProfileSummary> {
  const s = await connected();
  const { profile } = (await s.post("Profiler.stop")) as unknown as { profile: CpuProfile };
  await s.post("Profiler.disable");
  writeFileSync(file, JSON.stringify(profile));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const area = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node) return;
    if (node.callFrame.functionName === "(idle)") return;
    total += ms;
    add(self, keyOf(node.callFrame), ms);
    add(area, areaOf(node.callFrame.url, node.callFrame.functionName), ms);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (!frame || !isNetia(frame.url)) continue;
      const key = keyOf(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      add(inclusive, key, ms);
    }
  });
  return {
    file,
    total: Math.round(total),
    byArea: rank(area, total, top),
    bySelf: rank(self, total, top),
    netiaInclusive: rank(inclusive, total, top),
  };
}

/**
 * Samples allocations. With `everything`, also those the GC has collected by
 * the time sampling stops: what a workload allocates (and the GC must clean
 * up), rather than what it keeps.
 */
export async function startHeapSampling(intervalBytes = 4096, everything = false): Promise<void> {
  const s = await connected();
  await s.post("HeapProfiler.enable");
  await s.post("HeapProfiler.startSampling", {
    samplingInterval: intervalBytes,
    ...(everything
      ? { includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }
      : {}),
  });
}

/** Allocations by site: live ones only (after a full GC) unless sampling included everything. */
export async function stopHeapSampling(
  file: string,
  top = 25,
  everything = false,
): Promise<ProfileSummary> {
  const s = await connected();
  // Only what survives a full GC is what the open connections hold.
  if (!everything) await s.post("HeapProfiler.collectGarbage");
  const { profile } = (await s.post("HeapProfiler.stopSampling")) as unknown as {
    profile: { head: HeapNode };
  };
  await s.post("HeapProfiler.disable");
  writeFileSync(file, JSON.stringify(profile));
  const self = new Map<string, number>();
  const area = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  const walk = (node: HeapNode, netiaStack: string[]) => {
    const key = keyOf(node.callFrame);
    const stack =
      isNetia(node.callFrame.url) && !netiaStack.includes(key) ? [...netiaStack, key] : netiaStack;
    if (node.selfSize) {
      total += node.selfSize;
      add(self, key, node.selfSize);
      add(area, areaOf(node.callFrame.url, node.callFrame.functionName), node.selfSize);
      for (const k of stack) add(inclusive, k, node.selfSize);
    }
    for (const c of node.children) walk(c, stack);
  };
  walk(profile.head, []);
  return {
    file,
    total,
    byArea: rank(area, total, top),
    bySelf: rank(self, total, top),
    netiaInclusive: rank(inclusive, total, top),
  };
}
