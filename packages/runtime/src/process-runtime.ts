// The one runtime of this process. The custom server and the Next.js route
// handlers may load this package twice (once bundled, once not), so the
// instance lives on globalThis under a registered symbol.
import { loadConfig } from "@netia/config";
import { createRuntime, type Runtime } from "./runtime";

const GLOBAL_KEY = Symbol.for("netia.runtime");
type GlobalWithRuntime = typeof globalThis & { [GLOBAL_KEY]?: Promise<Runtime> };

/** The process-wide runtime: the one `setRuntime` installed, or one built from the environment. */
export function getRuntime(): Promise<Runtime> {
  const g = globalThis as GlobalWithRuntime;
  g[GLOBAL_KEY] ??= createRuntime({ config: loadConfig() });
  return g[GLOBAL_KEY];
}

export function setRuntime(runtime: Runtime): void {
  (globalThis as GlobalWithRuntime)[GLOBAL_KEY] = Promise.resolve(runtime);
}
