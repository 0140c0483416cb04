// How the widget talks to Netia, typed by the server's router (a type-only
// import: no server code is bundled). Queries and mutations go over HTTP
// (`/api/trpc`, batched, the visitor's session token in a header); live events
// over one websocket (`/api/trpc-ws`), opened only when the visitor has a
// conversation to follow and authenticated by the token in its connection
// params. A new token (after identify) means a new socket; wsLink resumes
// every subscription after the last event id by itself on reconnects.
import type { AppRouter } from "@netia/api";
import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  splitLink,
  type TRPCClient,
  TRPCClientError,
  type TRPCLink,
  wsLink,
} from "@trpc/client";
import type { inferRouterOutputs } from "@trpc/server";

type Outputs = inferRouterOutputs<AppRouter>;
export type WidgetConfig = Outputs["widget"]["config"];
export type Identity = Outputs["widget"]["identify"];
export type ConversationSummary = Outputs["widget"]["conversations"][number];
export type ServerMessage = Outputs["widget"]["listMessages"]["items"][number];
export type Client = TRPCClient<AppRouter>;
export type ConnectionState = "connecting" | "online" | "offline";
type WsClient = ReturnType<typeof createWSClient>;

export function wsUrlOf(baseUrl: string): string {
  const url = new URL("/api/trpc-ws", baseUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

/** A server error code, or undefined when the call never got an answer (network). */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof TRPCClientError) {
    const code = (error.data as { code?: unknown } | undefined)?.code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class Transport {
  readonly client: Client;
  private token: string | null = null;
  private ws: WsClient | null = null;
  private wsToken: string | null = null;

  constructor(
    private readonly baseUrl: string,
    private readonly onState: (state: ConnectionState) => void,
  ) {
    const live: TRPCLink<AppRouter> = (runtime) => (opts) =>
      wsLink<AppRouter>({ client: this.socket() })(runtime)(opts);
    this.client = createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === "subscription",
          true: live,
          false: httpBatchLink({
            url: `${baseUrl}/api/trpc`,
            maxURLLength: 2000,
            headers: () => (this.token ? { "x-netia-widget-token": this.token } : {}),
          }),
        }),
      ],
    });
  }

  /** The session token from now on; a socket opened with another one is closed. */
  setToken(token: string | null): void {
    this.token = token;
    if (this.ws && this.wsToken !== token) this.closeSocket();
  }

  /** Closes the socket; the next subscription opens a fresh one. */
  closeSocket(): void {
    const ws = this.ws;
    this.ws = null;
    if (ws) void ws.close().catch(() => {});
  }

  private socket(): WsClient {
    if (this.ws) return this.ws;
    const token = this.token;
    const ws: WsClient = createWSClient({
      url: wsUrlOf(this.baseUrl),
      connectionParams: token ? { widgetToken: token } : undefined,
      // Quick first retries, then at most every 5 s (with jitter) while offline.
      retryDelayMs: (attempt) =>
        attempt === 0 ? 250 : Math.min(500 * 2 ** attempt, 5_000) * (0.75 + Math.random() / 2),
      keepAlive: { enabled: true, intervalMs: 20_000, pongTimeoutMs: 5_000 },
      onOpen: () => {
        if (this.ws === ws) this.onState("online");
      },
      onClose: () => {
        if (this.ws === ws) this.onState("offline");
      },
    });
    this.ws = ws;
    this.wsToken = token;
    this.onState("connecting");
    return ws;
  }

  close(): void {
    this.closeSocket();
  }
}
