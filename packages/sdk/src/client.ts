// createNetiaClient: Netia's tRPC API, typed end to end by the server's router
// (a type-only import; no server code ships in this package). Queries and
// mutations go over HTTP (batched, `Authorization: Bearer <key>`), live
// subscriptions over one websocket opened on the first subscription and
// authenticated by the key in its connection params; a reconnect resumes each
// subscription after the last event it delivered. Every failure is a NetiaError.
import type { AppRouter } from "@netia/api";
import {
  createTRPCUntypedClient,
  createWSClient,
  httpBatchLink,
  splitLink,
  type TRPCClient,
  wsLink,
} from "@trpc/client";
import { toNetiaError } from "./errors";
import { type RetryOptions, retryOnRateLimit } from "./retry";

/** What a WebSocket constructor must offer (the global one, or `ws`'s on Node 20). */
type WebSocketConstructor = typeof globalThis.WebSocket;

export type NetiaClientOptions = {
  /** Your Netia server, e.g. "https://chat.example.com". */
  url: string;
  /** An API key ("netia_live_..."), created under Settings → API keys. */
  apiKey: string;
  /** A fetch to use instead of the global one (a proxy, a test double). */
  fetch?: typeof globalThis.fetch;
  /**
   * For live subscriptions where there is no global WebSocket (Node 20):
   * `import { WebSocket } from "ws"` and pass it here.
   */
  WebSocket?: WebSocketConstructor;
  /** Waiting and retrying after "too many requests" (429). */
  retry?: RetryOptions;
};

/** Every procedure an API key may call, as `client.<router>.<procedure>.query|mutate|subscribe`. */
export type NetiaClient = TRPCClient<AppRouter> & {
  /** Closes the websocket (ending live subscriptions); HTTP calls keep working. */
  close(): Promise<void>;
};

export function createNetiaClient(options: NetiaClientOptions): NetiaClient {
  const base = options.url.replace(/\/+$/, "");
  if (!/^https?:\/\//.test(base)) throw new TypeError("url must start with http:// or https://");
  if (!options.apiKey) throw new TypeError("apiKey is required");
  let socket: ReturnType<typeof createWSClient> | undefined;
  // Opened on the first subscription only: a client that never listens opens no socket.
  const ws = () => {
    socket ??= createWSClient({
      url: wsUrlOf(base),
      WebSocket: options.WebSocket,
      connectionParams: { apiKey: options.apiKey },
      lazy: { enabled: true, closeMs: 5_000 },
      keepAlive: { enabled: true, intervalMs: 20_000, pongTimeoutMs: 5_000 },
    });
    return socket;
  };
  const untyped = createTRPCUntypedClient<AppRouter>({
    links: [
      retryOnRateLimit(options.retry),
      splitLink({
        condition: (op) => op.type === "subscription",
        true: (runtime) => (op) => wsLink<AppRouter>({ client: ws() })(runtime)(op),
        false: httpBatchLink({
          url: `${base}/api/trpc`,
          fetch: options.fetch,
          maxURLLength: 2000,
          headers: () => ({ authorization: `Bearer ${options.apiKey}` }),
        }),
      }),
    ],
  });
  const close = async () => {
    const open = socket;
    socket = undefined;
    await open?.close();
  };
  return procedureProxy(untyped, [], close) as NetiaClient;
}

export function wsUrlOf(baseUrl: string): string {
  const url = new URL("/api/trpc-ws", baseUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

type Untyped = ReturnType<typeof createTRPCUntypedClient<AppRouter>>;
type SubscribeOptions = { onError?: (error: unknown) => void; [key: string]: unknown };

/**
 * `client.a.b.query(input)` → `untyped.query("a.b", input)`, with failures
 * turned into NetiaErrors. (tRPC's own proxy would hand back its own error
 * class, so the SDK keeps one of its own.)
 */
function procedureProxy(untyped: Untyped, path: string[], close: () => Promise<void>): unknown {
  return new Proxy(() => {}, {
    get(_target, key) {
      if (typeof key !== "string" || key === "then") return undefined;
      if (path.length === 0 && key === "close") return close;
      return procedureProxy(untyped, [...path, key], close);
    },
    apply(_target, _this, args: unknown[]) {
      const method = path.at(-1);
      const procedure = path.slice(0, -1).join(".");
      const [input, opts] = args as [unknown, Record<string, unknown> | undefined];
      switch (method) {
        case "query":
          return untyped.query(procedure, input, opts).catch(rethrow);
        case "mutate":
          return untyped.mutation(procedure, input, opts).catch(rethrow);
        case "subscribe": {
          const handlers = (opts ?? {}) as SubscribeOptions;
          return untyped.subscription(procedure, input, {
            ...handlers,
            onError: (error: unknown) => handlers.onError?.(toNetiaError(error)),
          });
        }
        default:
          throw new TypeError(`${path.join(".")} is not a procedure call`);
      }
    },
  });
}

function rethrow(error: unknown): never {
  throw toNetiaError(error);
}
