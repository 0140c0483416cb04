// The baseline: a minimal Socket.IO server doing the work Netia does for a
// visitor's message, and nothing more. A client says who it is in the
// handshake (trusted as is: no session lookup); a customer joins its
// conversation's room, an agent its account's room. On `send` the server
// INSERTs the row into Netia's own `messages` table (same scratch database,
// plain `pg`), acks with the row, then emits it to the account's room and the
// conversation's room. With REDIS_URL, rooms span nodes through
// @socket.io/redis-adapter.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdapter } from "@socket.io/redis-adapter";
import { Redis } from "ioredis";
import { Server } from "socket.io";
import { type BaselineAuth, baselinePool, insertMessage } from "./baseline-work";
import { ready, serve } from "./ipc";

const redisUrl = process.env.REDIS_URL;
const pool = baselinePool();

const http = createServer();
const io = new Server(http, {
  transports: ["websocket"],
  serveClient: false,
  maxHttpBufferSize: 1024 * 1024,
});
const redis: Redis[] = [];
if (redisUrl) {
  const pub = new Redis(redisUrl);
  const sub = pub.duplicate();
  redis.push(pub, sub);
  for (const r of redis) r.on("error", () => {});
  // A key of its own, so nothing else on this Redis shares the channels.
  io.adapter(createAdapter(pub, sub, { key: `netia-bench-socketio-${process.env.BENCH_RUN_ID}` }));
}

io.on("connection", (socket) => {
  const auth = socket.handshake.auth as BaselineAuth;
  const accountRoom = `account:${auth.accountId}`;
  const conversationRoom = `conversation:${auth.conversationId}`;
  if (auth.role === "agent") {
    socket.join(accountRoom);
  } else {
    socket.join(conversationRoom);
    socket.on(
      "send",
      async (input: { body: string; clientMessageId: string }, ack?: (r: unknown) => void) => {
        if (!pool) {
          ack?.({ error: "no database" });
          return;
        }
        try {
          const message = await insertMessage(pool, auth, input);
          ack?.({ message });
          io.to(accountRoom).to(conversationRoom).emit("message.created", { message });
        } catch (error) {
          ack?.({ error: error instanceof Error ? error.message : String(error) });
        }
      },
    );
  }
  socket.emit("ready");
});

await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));

serve({
  connections: () => io.engine.clientsCount,
  async stop() {
    io.disconnectSockets(true);
    await new Promise<void>((resolve) => io.close(() => resolve()));
    await pool?.end().catch(() => {});
    for (const r of redis) r.disconnect();
    setImmediate(() => process.exit(0));
    return null;
  },
});
ready({ port: (http.address() as AddressInfo).port });
