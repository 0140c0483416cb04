// The Netia server: one HTTP port for the dashboard, the tRPC HTTP API and the
// tRPC websocket. Boot order: config -> runtime (migrations under an advisory
// lock) -> Next.js -> listen. Run with `tsx server.ts`.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { appRouter, createContext } from "@netia/api";
import { type Config, ConfigError, loadConfig, servedOverHttps } from "@netia/config";
import { closeRuntime, createRuntime, type Runtime, setRuntime } from "@netia/runtime";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import next from "next";
import { WebSocketServer } from "ws";
import { clientIpResolver } from "./src/lib/server/client-ip";
import { CLIENT_IP_HEADER } from "./src/lib/server/request";
import { applySecurityHeaders } from "./src/lib/server/security-headers";
import { EXIT_UNREACHABLE, problemsOf, unreachable } from "./src/lib/server/startup-errors";

const APP_DIR = dirname(fileURLToPath(import.meta.url));
const WS_PATH = "/api/trpc-ws";
const SHUTDOWN_TIMEOUT_MS = 10_000;

export type StartServerOptions = {
  /** Defaults to `loadConfig()` from the environment. */
  config?: Config;
  /** Overrides `config.port`; 0 picks a free port. */
  port?: number;
  /** A runtime built by the caller, who then also closes it. */
  runtime?: Runtime;
  /** Next.js dev mode (compile on demand, HMR). Defaults to `config.env === "development"`. */
  dev?: boolean;
};

export type RunningServer = {
  url: string;
  runtime: Runtime;
  close(): Promise<void>;
};

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(":")) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return headers;
}

function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? "/", "http://localhost").pathname;
  } catch {
    return "/";
  }
}

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const config = options.config ?? loadConfig();
  const ownsRuntime = !options.runtime;
  const runtime = options.runtime ?? (await createRuntime({ config, listenForMail: true }));
  const { logger } = runtime;
  // Route handlers bundled by Next read the same instance through getRuntime().
  setRuntime(runtime);

  const port = options.port ?? config.port;
  const dev = options.dev ?? config.env === "development";
  const app = next({ dev, dir: APP_DIR, hostname: config.host, port });
  try {
    await app.prepare();
  } catch (error) {
    if (ownsRuntime) await closeRuntime(runtime).catch(() => {});
    throw error;
  }
  const handle = app.getRequestHandler();
  const nextUpgrade = app.getUpgradeHandler();

  const headerOptions = { https: servedOverHttps(config), dev };
  const clientIpOf = clientIpResolver(config.trustProxy);

  const server = createServer((req, res) => {
    applySecurityHeaders(req, res, headerOptions);
    // Route handlers only see headers: hand them the address decided here,
    // replacing anything the client sent under that name.
    const ip = clientIpOf(req);
    if (ip) req.headers[CLIENT_IP_HEADER] = ip;
    else delete req.headers[CLIENT_IP_HEADER];
    // One id per request, kept from a proxy that set it, echoed back and logged.
    const incoming = req.headers["x-request-id"];
    const reqId =
      typeof incoming === "string" && /^[\w.:-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    req.headers["x-request-id"] = reqId;
    res.setHeader("x-request-id", reqId);
    handle(req, res).catch((err: unknown) => {
      logger.error({ err, url: req.url, reqId }, "request failed");
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });

  // Frames above 1 MB close that one connection (code 1009), never the server.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const wssHandler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext: ({ req, res, info }) => {
      const headers = headersOf(req);
      const { widgetToken, apiKey } = info.connectionParams ?? {};
      return createContext({
        runtime,
        headers,
        resHeaders: new Headers(),
        ip: clientIpOf(req),
        widgetToken: typeof widgetToken === "string" ? widgetToken : null,
        apiKey: typeof apiKey === "string" ? apiKey : null,
        // Keeps the connection's authority current (packages/api/src/authority.ts).
        socket: res,
      });
    },
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        logger.error({ err: error, path }, "websocket procedure failed");
      }
    },
  });

  server.on("upgrade", (req, socket, head) => {
    if (pathOf(req) === WS_PATH) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
      return;
    }
    // Everything else (Next's HMR socket in dev) belongs to Next.
    nextUpgrade(req, socket, head).catch((err: unknown) => {
      logger.warn({ err, url: req.url }, "upgrade failed");
      socket.destroy();
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(port, config.host, () => {
      server.off("error", reject);
      resolveListen();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const url = `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${address.port}`;
  logger.info({ url, dev, database: runtime.database.kind }, `listening on ${url}`);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      logger.info("shutting down");
      // Stop accepting new connections; the callback fires once open ones end.
      const httpClosed = new Promise<void>((done) => server.close(() => done()));
      wssHandler.broadcastReconnectNotification();
      for (const client of wss.clients) client.close(1001, "server shutting down");
      await new Promise<void>((done) => wss.close(() => done()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((done) => {
        timer = setTimeout(() => {
          server.closeAllConnections();
          done();
        }, SHUTDOWN_TIMEOUT_MS);
        timer.unref();
      });
      await Promise.race([httpClosed, timedOut]);
      clearTimeout(timer);
      await app.close().catch((err: unknown) => logger.warn({ err }, "closing Next failed"));
      if (ownsRuntime) await closeRuntime(runtime);
    })();
    return closing;
  };

  return { url, runtime, close };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const line of error.problems) process.stderr.write(`ERROR ${line}\n`);
      process.exit(1);
    }
    throw error;
  }

  let running: RunningServer;
  try {
    running = await startServer({ config });
  } catch (error) {
    for (const line of problemsOf(error)) process.stderr.write(`ERROR ${line}\n`);
    process.exit(unreachable(error) ? EXIT_UNREACHABLE : 1);
  }

  const shutdown = (signal: NodeJS.Signals) => {
    running.runtime.logger.info({ signal }, "received signal");
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        running.runtime.logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

const isMain =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) await main();
