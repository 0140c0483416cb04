// Real Netia server processes for multi-node tests: `node --import tsx server.ts`
// on a free port, sharing one Postgres and one Redis. The production build is
// used when there is one; otherwise Next.js starts in dev mode (the tRPC
// websocket does not depend on Next's build either way).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AppRouter } from "@netia/api";
import { createTRPCClient, createWSClient, type TRPCClient, wsLink } from "@trpc/client";
import { WebSocket } from "ws";

const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const SHARED_SECRET = "multi-node-secret-".padEnd(64, "n");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export type NetiaNode = {
  name: string;
  port: number;
  httpUrl: string;
  wsUrl: string;
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

export async function startNode(
  name: string,
  env: Record<string, string>,
  { port: fixedPort, timeoutMs = 120_000 }: { port?: number; timeoutMs?: number } = {},
): Promise<NetiaNode> {
  const port = fixedPort ?? (await freePort());
  const production = existsSync(join(APP_DIR, ".next/BUILD_ID"));
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: APP_DIR,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: production ? "production" : "development",
      PORT: String(port),
      HOST: "127.0.0.1",
      SECRET_KEY_BASE: SHARED_SECRET,
      NETIA_DATA_DIR: mkdtempSync(join(tmpdir(), `netia-node-${name}-`)),
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
      // Tests send every visitor's calls from 127.0.0.1.
      WIDGET_RATE_LIMIT_PER_IP: "1000000",
      // Tests sign up as many accounts as they need.
      NETIA_REGISTRATION: "open",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout?.on("data", (d: Buffer) => output.push(d.toString()));
  child.stderr?.on("data", (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  const httpUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  let healthy = false;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const res = await fetch(`${httpUrl}/api/health`);
      if (res.ok) {
        healthy = true;
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!healthy) {
    child.kill("SIGKILL");
    throw new Error(`node ${name} did not become healthy:\n${output.join("").slice(-3000)}`);
  }
  return {
    name,
    port,
    httpUrl,
    wsUrl: `ws://127.0.0.1:${port}/api/trpc-ws`,
    child,
    output,
    exited,
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}

export type LiveClient = {
  trpc: TRPCClient<AppRouter>;
  close(): void;
};

/** A tRPC client over one websocket to `node`, as a browser (cookie) or a widget (token). */
export function liveClient(
  node: Pick<NetiaNode, "wsUrl">,
  auth: { cookie?: string; widgetToken?: string } = {},
): LiveClient {
  const headers = auth.cookie ? { cookie: auth.cookie } : undefined;
  class AuthenticatedWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  const ws = createWSClient({
    url: node.wsUrl,
    WebSocket: AuthenticatedWebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: auth.widgetToken ? { widgetToken: auth.widgetToken } : undefined,
    retryDelayMs: () => 200,
  });
  return {
    trpc: createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] }),
    close: () => ws.close(),
  };
}

/** Collects a subscription's events; `until` waits for a condition on them. */
export function collector<T = Record<string, unknown>>() {
  const events: T[] = [];
  const errors: unknown[] = [];
  const state = { lastEventId: null as string | null };
  return {
    events,
    errors,
    state,
    onData: (event: unknown) => {
      // Tracked events arrive as { id, data }: remember the id to resume from.
      if (event && typeof event === "object" && "data" in event && "id" in event) {
        state.lastEventId = String((event as { id: unknown }).id);
        events.push((event as { data: unknown }).data as T);
      } else {
        events.push(event as T);
      }
    },
    onError: (error: unknown) => errors.push(error),
    async until(check: (events: T[]) => boolean, timeoutMs = 15_000): Promise<T[]> {
      const deadline = Date.now() + timeoutMs;
      while (!check(events)) {
        if (errors.length) throw errors[0];
        if (Date.now() > deadline) {
          throw new Error(`timed out; events so far: ${JSON.stringify(events).slice(0, 1500)}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      return events;
    },
  };
}
