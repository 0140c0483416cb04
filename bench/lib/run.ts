// What every benchmark run shares: a line logger, and cleanups that run once,
// newest first, on success, failure, Ctrl-C or the watchdog.

export const log = (line = "") => process.stdout.write(`${line}\n`);

export type Cleanup = { name: string; run: () => Promise<void> };

/** Installs the signal handlers and the watchdog; returns the cleanup list and its runner. */
export function benchmarkRun(watchdogMs: number) {
  const cleanups: Cleanup[] = [];
  let cleaning: Promise<void> | undefined;
  function cleanup(): Promise<void> {
    cleaning ??= (async () => {
      for (const { name, run } of cleanups.reverse()) {
        try {
          await run();
        } catch (error) {
          process.stderr.write(`cleanup "${name}" failed: ${String(error)}\n`);
        }
      }
    })();
    return cleaning;
  }
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: cleaning up\n`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  setTimeout(() => {
    process.stderr.write(
      `the benchmark ran longer than ${watchdogMs / 60_000} minutes; stopping\n`,
    );
    void cleanup().finally(() => process.exit(1));
  }, watchdogMs).unref();
  return { cleanups, cleanup };
}
