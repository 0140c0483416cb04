// The dashboard's websocket to the server (tRPC subscriptions at /api/trpc-ws)
// and the state of that connection, for the "Reconnecting…" banner.
//
// One socket per browser tab. It is opened by the first subscription (the
// dashboard's live events) and then kept open while the tab lives; tRPC
// reconnects it by itself and re-subscribes, passing the last tracked event id.
// The session cookie travels with the upgrade request (same origin), so the
// server knows the agent without connection params.
import type { Operation, OperationLink, TRPCLink, TRPCWebSocketClient } from "@trpc/client";
import { createWSClient, wsLink } from "@trpc/client";
import { useSyncExternalStore } from "react";
import type { AppRouter } from "@/lib/trpc";

export const WS_PATH = "/api/trpc-ws";

/**
 * - `idle`: no socket (server rendering, signed out, or nothing subscribed yet)
 * - `connecting`: the first attempt is under way
 * - `open`: connected
 * - `reconnecting`: the socket dropped (or the first attempt failed) and tRPC is retrying
 */
export type ConnectionStatus = "idle" | "connecting" | "open" | "reconnecting";

type Listener = () => void;

let status: ConnectionStatus = "idle";
const listeners = new Set<Listener>();

function setStatus(next: ConnectionStatus) {
  if (status === next) return;
  status = next;
  for (const listener of listeners) listener();
}

export function connectionStatus(): ConnectionStatus {
  return status;
}

export function onConnectionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useConnectionStatus(): ConnectionStatus {
  return useSyncExternalStore(onConnectionChange, connectionStatus, () => "idle");
}

/** 250 ms, then 1 s, 2 s, 4 s, 8 s, 10 s…, with jitter so a restarted server is not hit at once. */
export function retryDelayMs(attempt: number): number {
  const base = attempt === 0 ? 250 : Math.min(1000 * 2 ** (attempt - 1), 10_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

function socketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss" : "ws"}://${host}${WS_PATH}`;
}

/** How long a socket we close may take to confirm it before we call it closed. */
const CLOSE_CONFIRM_MS = 1_000;

/**
 * A WebSocket whose close() is reported within a second. When the network is
 * gone the closing handshake cannot finish, and Chromium fires "close" only
 * after 60 s; until then tRPC would neither notice the drop (its keep-alive
 * closes the socket on a missed pong) nor reconnect. Events the real socket
 * fires after that are hidden, so tRPC never sees a socket close twice.
 */
class PromptCloseWebSocket extends WebSocket {
  #reportedClosed = false;

  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    // Registered before tRPC's listeners, so it can stop the late events first.
    const late = (event: Event) => {
      if (this.#reportedClosed && event.isTrusted) event.stopImmediatePropagation();
    };
    this.addEventListener("close", late);
    this.addEventListener("error", late);
    this.addEventListener("message", late);
  }

  override close(code?: number, reason?: string) {
    super.close(code, reason);
    setTimeout(() => {
      if (this.#reportedClosed || this.readyState === WebSocket.CLOSED) return;
      this.#reportedClosed = true;
      this.dispatchEvent(
        new CloseEvent("close", { code: 1006, reason: "no answer", wasClean: false }),
      );
    }, CLOSE_CONFIRM_MS);
  }
}

let client: TRPCWebSocketClient | null = null;
/** Clients closed on purpose: their close events are not a lost connection. */
const retired = new WeakSet<TRPCWebSocketClient>();

function wsClient(): TRPCWebSocketClient {
  if (client) return client;
  if (status === "idle") setStatus("connecting");
  let created: TRPCWebSocketClient | null = null;
  const lost = () => {
    if (created && !retired.has(created)) setStatus("reconnecting");
  };
  created = createWSClient({
    url: socketUrl,
    WebSocket: PromptCloseWebSocket,
    retryDelayMs,
    // A dead network does not close the socket; a missed pong does.
    keepAlive: { enabled: true, intervalMs: 5_000, pongTimeoutMs: 4_000 },
    onOpen: () => setStatus("open"),
    onClose: lost,
    onError: lost,
  });
  client = created;
  if (!listeningOffline) {
    listeningOffline = true;
    // The browser knows the network is gone before any ping would tell.
    window.addEventListener("offline", () => client?.connection?.ws.close());
  }
  return created;
}

let listeningOffline = false;

/**
 * Closes the socket (on log out: the server authenticated it with the old
 * session). The next subscription opens a new one.
 */
export async function closeRealtime(): Promise<void> {
  const current = client;
  if (!current) return;
  retired.add(current);
  client = null;
  setStatus("idle");
  await current.close().catch(() => {});
}

/**
 * A wsLink that creates its socket on first use, so pages without
 * subscriptions (log in, sign up) and server rendering never open one.
 */
export function lazyWsLink(): TRPCLink<AppRouter> {
  return (runtime) => {
    let link: OperationLink<AppRouter> | null = null;
    let linkedClient: TRPCWebSocketClient | null = null;
    return (opts) => {
      const current = wsClient();
      if (!link || linkedClient !== current) {
        link = wsLink<AppRouter>({ client: current })(runtime);
        linkedClient = current;
      }
      return link(opts);
    };
  };
}

export const isSubscription = (op: Operation) => op.type === "subscription";
