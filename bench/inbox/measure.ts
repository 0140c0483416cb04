// Timing helpers: latency percentiles, and the SQL a procedure really sends.
import pg from "pg";

export type Stats = {
  iterations: number;
  medianMs: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
};

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: number[], p: number): number {
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    iterations: sorted.length,
    medianMs: round(percentile(sorted, 0.5)),
    p95Ms: round(percentile(sorted, 0.95)),
    p99Ms: round(percentile(sorted, 0.99)),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
    meanMs: round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
  };
}

/**
 * Runs `call(i)` `warmup` times untimed, then `iterations` times one after
 * another, timing each invocation (wall clock around the awaited call).
 */
export async function time(
  call: (i: number) => Promise<unknown>,
  { warmup, iterations }: { warmup: number; iterations: number },
): Promise<Stats> {
  for (let i = 0; i < warmup; i++) await call(i);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await call(warmup + i);
    samples.push(performance.now() - t0);
  }
  return stats(samples);
}

export type CapturedQuery = { text: string; values: unknown[] };

type QueryFn = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Records every statement sent through node-postgres while `fn` runs. Netia's
 * database layer and this package resolve the same `pg`, so this sees the
 * exact SQL and parameters a procedure executes.
 */
export async function captureQueries<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; queries: CapturedQuery[] }> {
  const proto = pg.Client.prototype as unknown as { query: QueryFn };
  const original = proto.query;
  const queries: CapturedQuery[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [first, second] = args;
    if (typeof first === "string") {
      queries.push({ text: first, values: Array.isArray(second) ? second : [] });
    } else if (first && typeof first === "object" && "text" in first) {
      // Drizzle passes a query config and the parameters separately.
      const q = first as { text: unknown; values?: unknown[] };
      queries.push({
        text: String(q.text),
        values: Array.isArray(second) ? second : (q.values ?? []),
      });
    }
    return original.apply(this, args);
  };
  try {
    return { result: await fn(), queries };
  } finally {
    proto.query = original;
  }
}

export type Explained = { plan: string; executionMs: number };

/**
 * `EXPLAIN (ANALYZE, BUFFERS)` of a captured statement, run with its own
 * parameters `runs` times on a warm cache; the plan of the last run and the
 * median of the execution times it reports.
 */
export async function explain(url: string, query: CapturedQuery, runs = 5): Promise<Explained> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(query.text, query.values);
    const times: number[] = [];
    let plan = "";
    for (let i = 0; i < runs; i++) {
      const { rows } = await client.query<{ "QUERY PLAN": string }>(
        `explain (analyze, buffers) ${query.text}`,
        query.values,
      );
      plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
      const ms = plan.match(/Execution Time: ([\d.]+) ms/)?.[1];
      if (ms) times.push(Number(ms));
    }
    return { plan, executionMs: stats(times).medianMs };
  } finally {
    await client.end().catch(() => {});
  }
}
