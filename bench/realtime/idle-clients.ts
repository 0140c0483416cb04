// A client process for the connections test: opens its share of idle
// connections to one server and holds them until told to close. Netia
// connections are real widget clients (tRPC over one websocket, the widget
// session token as a connection parameter) subscribed to their own
// conversation's `widget.events`; a connection counts once the subscription has
// delivered its first event. Socket.IO clients count once the server has put
// them in their conversation's room and said so; raw ws clients once open.
import { io, type Socket } from "socket.io-client";
import { WebSocket } from "ws";
import { liveClient } from "../../apps/web/src/e2e/nodes";
import { ready, serve } from "./ipc";

export type IdleTarget = { token: string; conversationId: string; accountId: string };
type Kind = "netia" | "socketio" | "ws";

const held: (() => void)[] = [];
let failures: string[] = [];

function openNetia(port: number, t: IdleTarget, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const client = liveClient(
      { wsUrl: `ws://127.0.0.1:${port}/api/trpc-ws` },
      { widgetToken: t.token },
    );
    let settled = false;
    const timer = setTimeout(() => done(new Error("no first event in time")), timeoutMs);
    const done = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        client.close();
        reject(error);
      } else {
        resolve();
      }
    };
    const sub = client.trpc.widget.events.subscribe(
      { conversationId: t.conversationId },
      {
        onData: () => done(),
        onError: (e) => done(e instanceof Error ? e : new Error(String(e))),
      },
    );
    held.push(() => {
      sub.unsubscribe();
      client.close();
    });
  });
}

function openSocketIo(port: number, t: IdleTarget, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket: Socket = io(`http://127.0.0.1:${port}`, {
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
      timeout: timeoutMs,
      auth: { role: "customer", accountId: t.accountId, conversationId: t.conversationId },
    });
    socket.once("ready", () => resolve());
    socket.once("connect_error", (e) => reject(e));
    held.push(() => socket.disconnect());
  });
}

function openWs(port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { handshakeTimeout: timeoutMs });
    ws.once("open", () => resolve());
    ws.once("error", (e) => reject(e));
    held.push(() => ws.terminate());
  });
}

serve({
  /** Opens one connection per target, `concurrency` at a time; answers when all are settled. */
  async open(req) {
    const { kind, port, targets, concurrency, timeoutMs } = req as unknown as {
      kind: Kind;
      port: number;
      targets: IdleTarget[];
      concurrency: number;
      timeoutMs: number;
    };
    failures = [];
    const started = performance.now();
    let next = 0;
    let opened = 0;
    const worker = async () => {
      while (next < targets.length) {
        const t = targets[next++] as IdleTarget;
        try {
          if (kind === "netia") await openNetia(port, t, timeoutMs);
          else if (kind === "socketio") await openSocketIo(port, t, timeoutMs);
          else await openWs(port, timeoutMs);
          opened++;
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return {
      opened,
      failed: failures.length,
      firstFailures: [...new Set(failures)].slice(0, 3),
      ms: performance.now() - started,
    };
  },
  close() {
    for (const close of held.splice(0)) {
      try {
        close();
      } catch {
        // already closed
      }
    }
    return null;
  },
  stop() {
    setImmediate(() => process.exit(0));
    return null;
  },
});
ready({});
