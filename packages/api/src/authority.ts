// Who an agent's connection acts as, kept current. An HTTP request reads its
// session once. A websocket lives for hours, so its authority is re-read
// whenever it may have changed: when any node announces a change for its user
// or session on the bus (announceAuthorityChange), every AUTHORITY_RECHECK_MS
// in case such an announcement was lost, after the bus resyncs, and before
// every admin call. A socket whose session ended or whose role changed is
// closed with AUTHORITY_CHANGED_CLOSE_CODE: its subscriptions end, nothing
// more is served on it, and the client authenticates again on a new one.
// A socket opened with an API key is followed the same way, under its key's
// pseudo-session id: revoking the key closes it.
import {
  type AgentSession,
  type AuthorityChanged,
  authenticateApiKey,
  getAgentSession,
  readConnectionAuthorities,
} from "@netia/core";
import { channels } from "@netia/realtime";
import type { Runtime } from "@netia/runtime";
import { AUTHORITY_CHANGED_CLOSE_CODE, AUTHORITY_RECHECK_MS } from "./limits";

/** The part of a websocket (`ws`) this module uses. */
export type AgentSocket = {
  /** 2 (closing) and 3 (closed) mean its "close" event has fired or is on its way. */
  readonly readyState: number;
  close(code: number, reason: string): void;
  once(event: "close", listener: () => void): unknown;
};

export class AgentAuthority {
  private read: Promise<AgentSession | null> | undefined;
  private known: AgentSession | null = null;
  private latest: AgentSession | null = null;
  private ended = false;

  constructor(
    private readonly rt: Runtime,
    private readonly headers: Headers,
    /** Present for a websocket: its authority is then watched for changes. */
    private readonly socket?: AgentSocket,
    /** An API key presented instead of a session cookie (which is then not read). */
    private readonly apiKey?: string | null,
  ) {}

  /** The agent as of the last read (this request's, or the socket's latest). */
  async current(): Promise<AgentSession | null> {
    this.read ??= this.readCredential();
    const agent = await this.read;
    return this.ended ? null : agent;
  }

  /**
   * The agent as the database has it now: for admin calls, so a role taken
   * away an instant ago is not used even before the announcement arrives.
   */
  async fresh(): Promise<AgentSession | null> {
    const agent = await this.current();
    if (!agent || !this.socket) return agent; // an HTTP request's read is fresh
    await registryOf(this.rt).recheck([this]);
    // As re-read (a demoted admin is an agent: refused as such, not as a stranger).
    return this.latest;
  }

  private async readCredential(): Promise<AgentSession | null> {
    const agent = this.apiKey
      ? await authenticateApiKey(this.rt.db, this.apiKey)
      : await getAgentSession(this.rt.db, this.rt.auth, this.headers);
    // A socket already closing (its "close" may have fired) is not registered: it would stay.
    if (agent && this.socket && this.socket.readyState < 2) {
      this.known = agent;
      const registry = registryOf(this.rt);
      registry.add(this, agent);
      this.socket.once("close", () => registry.remove(this, agent));
    }
    return agent;
  }

  /** Called with the session as just re-read (undefined: it no longer grants anything). */
  update(latest: AgentSession | undefined): void {
    this.latest = latest ?? null;
    const known = this.known;
    if (this.ended || !known) return;
    if (latest && latest.role === known.role && latest.accountId === known.accountId) return;
    this.ended = true;
    registryOf(this.rt).remove(this, known);
    this.rt.logger.info(
      { userId: known.userId, role: latest?.role ?? null },
      "closing a websocket whose authority changed",
    );
    this.socket?.close(AUTHORITY_CHANGED_CLOSE_CODE, "Your session or role changed; reconnect");
  }

  /** The session (or API key, as "key:<id>") this socket was opened with, once read. */
  get sessionId(): string | undefined {
    return this.known?.sessionId;
  }
}

/** One node's open agent sockets by user and by session, following the authority channel. */
class AuthorityRegistry {
  private readonly byUser = new Map<string, Set<AgentAuthority>>();
  private readonly bySession = new Map<string, Set<AgentAuthority>>();
  private listening: Promise<unknown> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private offResync: (() => void) | undefined;

  constructor(private readonly rt: Runtime) {}

  add(conn: AgentAuthority, agent: AgentSession): void {
    addTo(this.byUser, agent.userId, conn);
    addTo(this.bySession, agent.sessionId, conn);
    this.listen();
  }

  remove(conn: AgentAuthority, agent: AgentSession): void {
    removeFrom(this.byUser, agent.userId, conn);
    removeFrom(this.bySession, agent.sessionId, conn);
    if (this.bySession.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Re-reads the sessions of `conns` in one query and lets each react. */
  async recheck(conns: Iterable<AgentAuthority>): Promise<void> {
    const list = [...conns].filter((c) => c.sessionId !== undefined);
    if (list.length === 0) return;
    const ids = [...new Set(list.map((c) => c.sessionId as string))];
    const current = await readConnectionAuthorities(this.rt.db, ids);
    for (const conn of list) conn.update(current.get(conn.sessionId as string));
  }

  private recheckAll(): void {
    const all = new Set([...this.bySession.values()].flatMap((set) => [...set]));
    this.recheck(all).catch((err: unknown) =>
      this.rt.logger.warn({ err }, "re-checking websocket sessions failed"),
    );
  }

  private onAnnouncement(event: AuthorityChanged): void {
    const conns = new Set([
      ...(event.userId ? (this.byUser.get(event.userId) ?? []) : []),
      ...(event.sessionId ? (this.bySession.get(event.sessionId) ?? []) : []),
    ]);
    this.recheck(conns).catch((err: unknown) =>
      this.rt.logger.warn({ err }, "re-checking websocket sessions failed"),
    );
  }

  /** Subscribes once, on the first socket: nodes without agent sockets never listen. */
  private listen(): void {
    this.listening ??= this.rt.bus
      .subscribe(channels.authority, (payload) => this.onAnnouncement(payload as AuthorityChanged))
      .catch((err: unknown) => {
        this.listening = undefined;
        this.rt.logger.warn({ err }, "could not follow authority changes; re-checking on a timer");
      });
    this.offResync ??= this.rt.bus.onResync(() => this.recheckAll());
    if (!this.timer) {
      this.timer = setInterval(() => this.recheckAll(), AUTHORITY_RECHECK_MS);
      this.timer.unref();
    }
  }
}

function addTo(map: Map<string, Set<AgentAuthority>>, key: string, conn: AgentAuthority) {
  const set = map.get(key) ?? new Set();
  set.add(conn);
  map.set(key, set);
}

function removeFrom(map: Map<string, Set<AgentAuthority>>, key: string, conn: AgentAuthority) {
  const set = map.get(key);
  if (!set) return;
  set.delete(conn);
  if (set.size === 0) map.delete(key);
}

const registries = new WeakMap<Runtime, AuthorityRegistry>();

function registryOf(rt: Runtime): AuthorityRegistry {
  const registry = registries.get(rt) ?? new AuthorityRegistry(rt);
  registries.set(rt, registry);
  return registry;
}
