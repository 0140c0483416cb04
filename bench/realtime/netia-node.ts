// One Netia server for the realtime benchmark: `startServer` from
// apps/web/server.ts (what `node server.ts` runs), configured from the
// environment like any deployment, plus the benchmark's IPC hook so the parent
// can read this process's memory after a forced GC and its CPU time.
// Started by main.ts as `node --expose-gc --import tsx` with cwd apps/web.
import { startServer } from "../../apps/web/server";
import { ready, serve } from "./ipc";

const running = await startServer();
const { port } = new URL(running.url);

serve({
  async stop() {
    await running.close();
    setImmediate(() => process.exit(0));
    return null;
  },
});
ready({ port: Number(port), url: running.url, bus: running.runtime.bus.kind });
