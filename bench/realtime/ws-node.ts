// The floor for an idle websocket: a bare `ws` WebSocketServer that accepts
// connections and keeps them, nothing else (no protocol, no timers, no rooms).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { ready, serve } from "./ipc";

const http = createServer((_req, res) => {
  res.statusCode = 404;
  res.end();
});
const wss = new WebSocketServer({ server: http, maxPayload: 1024 * 1024 });
let connections = 0;
wss.on("connection", (ws) => {
  connections++;
  ws.on("close", () => connections--);
  ws.on("error", () => {});
});
await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));

serve({
  connections: () => connections,
  async stop() {
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await new Promise<void>((resolve) => http.close(() => resolve()));
    setImmediate(() => process.exit(0));
    return null;
  },
});
ready({ port: (http.address() as AddressInfo).port });
