// CPU accounting from /proc: the whole machine, and named processes (Postgres,
// Redis) that serve every configuration alike.
import { readdirSync, readFileSync } from "node:fs";

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** Busy and total jiffies of all cores since boot. */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/**
 * CPU milliseconds used so far by every process whose command name is one of
 * `names`, including their children that have exited (a Postgres backend that
 * ends is reaped by the postmaster: its time moves to the postmaster's
 * children time, so the sum never goes backwards).
 */
export function cpuMsByName(names: string[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const open = stat.indexOf("(");
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(open + 1, close);
      const name = names.find((n) => comm.startsWith(n));
      if (!name) continue;
      const fields = stat.slice(close + 2).split(" ");
      // After "(comm) ": state is field 0, utime 11, stime 12, cutime 13, cstime 14.
      const ticks = [11, 12, 13, 14].reduce((n, i) => n + Number(fields[i]), 0);
      out[name] = (out[name] ?? 0) + ticks * TICK_MS;
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/** utime + stime of one process, in milliseconds (from outside). */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

export function openFilesLimit(): number {
  const line = readFileSync("/proc/self/limits", "utf8")
    .split("\n")
    .find((l) => l.startsWith("Max open files"));
  return Number(line?.trim().split(/\s+/)[3] ?? 0);
}
