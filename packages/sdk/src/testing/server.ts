// A Netia API server for the SDK's tests: the app router over real HTTP (the
// same fetch handler and context as apps/web's /api/trpc route) and over a real
// websocket at /api/trpc-ws (as apps/web/server.ts serves it), on a free port.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { appRouter, createContext, MAX_CALLS_PER_BATCH } from "@netia/api";
import type { Runtime } from "@netia/runtime";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import { WebSocketServer } from "ws";

export type TestServer = { url: string; close(): Promise<void> };

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return headers;
}

async function handleHttp(runtime: Runtime, req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  const request = new Request(`http://localhost${req.url ?? "/"}`, {
    method: req.method,
    headers: headersOf(req),
    body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
  });
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    maxBatchSize: MAX_CALLS_PER_BATCH,
    createContext: ({ req: fetchReq, resHeaders }) =>
      createContext({ runtime, headers: fetchReq.headers, resHeaders, ip: "127.0.0.1" }),
  });
  res.statusCode = response.status;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.end(Buffer.from(await response.arrayBuffer()));
}

export async function startTestServer(runtime: Runtime): Promise<TestServer> {
  const server = createServer((req, res) => {
    if (!req.url?.startsWith("/api/trpc/")) {
      res.statusCode = 404;
      res.end();
      return;
    }
    handleHttp(runtime, req, res).catch((err: unknown) => {
      runtime.logger.error({ err }, "test server request failed");
      res.statusCode = 500;
      res.end();
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  const handler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext: ({ req, res, info }) => {
      const apiKey = info.connectionParams?.apiKey;
      return createContext({
        runtime,
        headers: headersOf(req),
        resHeaders: new Headers(),
        ip: "127.0.0.1",
        apiKey: typeof apiKey === "string" ? apiKey : null,
        socket: res,
      });
    },
  });
  server.on("upgrade", (req, socket, head) => {
    if (!req.url?.startsWith("/api/trpc-ws")) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      handler.broadcastReconnectNotification();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
