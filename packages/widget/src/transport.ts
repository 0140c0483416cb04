// How the widget talks to Netia: tRPC over one websocket (`/api/trpc-ws`),
// typed by the server's router (a type-only import: no server code is
// bundled). Queries, mutations and the live events share the connection, so
// the widget works from any site without CORS and holds one socket per tab.
// The visitor's session token travels in the connection params; a new token
// (after identify) means a new connection.
import type { AppRouter } from "@netia/api";
import {
  createTRPCClient,
  createWSClient,
  type TRPCClient,
  TRPCClientError,
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
  client!: Client;
  private ws: ReturnType<typeof createWSClient> | null = null;
  private token: string | null | undefined = undefined;
  private generation = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly onState: (state: ConnectionState, generation: number) => void,
  ) {}

  /** The generation of the current connection: events of an older one are stale. */
  get current(): number {
    return this.generation;
  }

  /** Uses `token` from now on; a different token opens a new connection. */
  connect(token: string | null): void {
    if (this.ws && token === this.token) return;
    this.close();
    this.token = token;
    const generation = ++this.generation;
    const report = (state: ConnectionState) => {
      if (generation === this.generation) this.onState(state, generation);
    };
    report("connecting");
    this.ws = createWSClient({
      url: wsUrlOf(this.baseUrl),
      connectionParams: token ? { widgetToken: token } : undefined,
      // Quick first retries, then at most every 5 s (with jitter) while offline.
      retryDelayMs: (attempt) =>
        attempt === 0 ? 250 : Math.min(500 * 2 ** attempt, 5_000) * (0.75 + Math.random() / 2),
      keepAlive: { enabled: true, intervalMs: 20_000, pongTimeoutMs: 5_000 },
      onOpen: () => report("online"),
      onClose: () => report("offline"),
    });
    this.client = createTRPCClient<AppRouter>({ links: [wsLink({ client: this.ws })] });
  }

  close(): void {
    const ws = this.ws;
    this.ws = null;
    this.generation++;
    if (ws) void ws.close().catch(() => {});
  }
}
