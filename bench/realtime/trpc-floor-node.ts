// The floor under Netia's delivery path: the baseline's work (see
// socketio-node.ts) done over the transport Netia must use, tRPC v11
// subscriptions over websockets (`applyWSSHandler`, as apps/web/server.ts), and
// nothing else: identity trusted from the connection parameters, no session
// lookup, no rate limits, no input or output validation, no idempotency,
// rooms in memory (one node only). A customer's `send` INSERTs the row into
// Netia's `messages` table with plain `pg`, answers with it, then hands it to
// the `events` subscriptions of the account's and the conversation's rooms,
// which yield it `tracked()` by seq through the same small listener-based queue
// Netia's streams use.
//
// With FLOOR_WITH_NEXT=1 the process also hosts Netia's production Next.js
// build, as a Netia node does, and has it answer one request: from then on
// Next.js' AsyncLocalStorage keeps Node 20's promise hooks on for every promise
// of the process, and its modules sit in the old generation the GC walks.
// The two variants tell apart what tRPC costs and what sharing the process
// with Next.js costs, before any of Netia's own work.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createQueue } from "@netia/realtime";
import { initTRPC, tracked } from "@trpc/server";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import { WebSocketServer } from "ws";
import { type BaselineAuth, baselinePool, insertMessage } from "./baseline-work";
import { ready, serve } from "./ipc";

const withNext = process.env.FLOOR_WITH_NEXT === "1";
const APP_DIR = join(import.meta.dirname, "../../apps/web");

const pool = baselinePool();

type Event = { type: "message.created"; message: { seq: string } & Record<string, unknown> };

const rooms = new Map<string, Set<(e: Event) => void>>();
function enter(room: string, listener: (e: Event) => void): () => void {
  const members = rooms.get(room) ?? new Set();
  rooms.set(room, members);
  members.add(listener);
  return () => {
    members.delete(listener);
    if (members.size === 0) rooms.delete(room);
  };
}
function emit(room: string, event: Event): void {
  for (const listener of rooms.get(room) ?? []) listener(event);
}

const roomOf = (auth: BaselineAuth) =>
  auth.role === "agent" ? `account:${auth.accountId}` : `conversation:${auth.conversationId}`;

const t = initTRPC.context<{ auth: BaselineAuth }>().create();
const router = t.router({
  send: t.procedure
    .input((raw) => raw as { body: string; clientMessageId: string })
    .mutation(async ({ ctx, input }) => {
      if (!pool) throw new Error("no database");
      const { auth } = ctx;
      const message = (await insertMessage(pool, auth, input)) as Event["message"];
      const event: Event = { type: "message.created", message };
      emit(`account:${auth.accountId}`, event);
      emit(`conversation:${auth.conversationId}`, event);
      return { message };
    }),
  events: t.procedure.subscription(async function* ({ ctx, signal }) {
    const queue = createQueue<Event>(signal);
    const leave = enter(roomOf(ctx.auth), (e) => queue.push(e));
    try {
      yield { type: "ready" as const };
      for (;;) {
        const event = await queue.next();
        if (!event) return;
        yield tracked(String(event.message.seq), event);
      }
    } finally {
      leave();
      queue.close();
    }
  }),
});
export type FloorRouter = typeof router;

let handleHttp = (_req: IncomingMessage, res: ServerResponse) => {
  res.statusCode = 404;
  res.end();
};
if (withNext) {
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: APP_DIR });
  await app.prepare();
  const handle = app.getRequestHandler();
  handleHttp = (req, res) => void handle(req, res);
}

const http = createServer((req, res) => handleHttp(req, res));
const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
const wssHandler = applyWSSHandler({
  wss,
  router,
  createContext: ({ info }) => ({ auth: (info.connectionParams ?? {}) as BaselineAuth }),
  keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
});
// Netia's websocket path: once Next.js has answered a request it listens to
// upgrades too, and closes those whose path is one of its pages (such as "/").
http.on("upgrade", (req, socket, head) => {
  if (req.url?.startsWith("/api/trpc-ws")) {
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  } else {
    socket.destroy();
  }
});
await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
const { port } = http.address() as AddressInfo;

if (withNext) {
  // One request through Next.js, as any deployment serves before long.
  const res = await fetch(`http://127.0.0.1:${port}/api/health/live`);
  if (!res.ok) throw new Error(`Next.js answered ${res.status}`);
}

serve({
  connections: () => wss.clients.size,
  async stop() {
    wssHandler.broadcastReconnectNotification();
    for (const client of wss.clients) client.terminate();
    await pool?.end().catch(() => {});
    setImmediate(() => process.exit(0));
    return null;
  },
});
ready({ port, withNext });
