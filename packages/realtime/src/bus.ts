// The event bus every Netia node publishes to and subscribes from. In-process
// for the embedded default; Redis (one publisher and one subscriber connection
// per process, channels reference-counted) when several nodes share the work.

export type Payload = Record<string, unknown>;
export type Listener = (payload: Payload) => void;
export type Unsubscribe = () => void;

export interface EventBus {
  readonly kind: "memory" | "redis";
  /**
   * Delivers `payload` (JSON-serialisable) to every subscriber of each channel
   * on every node. It is serialised once however many channels it goes to, and
   * subscribers of several of them may receive the same object: never mutate it.
   */
  publish(channels: string | readonly string[], payload: Payload): Promise<void>;
  /** Resolves once the subscription is live, so state read afterwards misses no event. */
  subscribe(channel: string, listener: Listener): Promise<Unsubscribe>;
  /**
   * Called after the bus lost its connection and got it back: events may have
   * been missed meanwhile, so subscribers re-read what they show.
   */
  onResync(listener: () => void): Unsubscribe;
  /** Whether events flow right now (false while Redis is unreachable). */
  connected(): boolean;
  close(): Promise<void>;
}

/** Channel names, scoped by account so tenants never share one (but `authority`). */
export const channels = {
  /**
   * "Re-check who this user/session may be": carries ids only, never what
   * changed, so every node re-reads the truth from the database.
   */
  authority: "netia:authority",
  account: (accountId: string) => `netia:${accountId}:account`,
  conversation: (accountId: string, conversationId: string) =>
    `netia:${accountId}:conversation:${conversationId}`,
  /** Whether any agent is online: the one account-wide thing visitors may see. */
  availability: (accountId: string) => `netia:${accountId}:availability`,
};

/** Per-channel listener sets with reference counting, shared by both buses. */
export class ListenerRegistry {
  private readonly byChannel = new Map<string, Set<Listener>>();

  /** Adds a listener; returns true when it is the channel's first. */
  add(channel: string, listener: Listener): boolean {
    let set = this.byChannel.get(channel);
    const first = !set;
    if (!set) {
      set = new Set();
      this.byChannel.set(channel, set);
    }
    set.add(listener);
    return first;
  }

  /** Removes a listener; returns true when the channel has none left. */
  remove(channel: string, listener: Listener): boolean {
    const set = this.byChannel.get(channel);
    if (!set) return false;
    set.delete(listener);
    if (set.size > 0) return false;
    this.byChannel.delete(channel);
    return true;
  }

  has(channel: string): boolean {
    return this.byChannel.has(channel);
  }

  dispatch(channel: string, payload: Payload): void {
    const set = this.byChannel.get(channel);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(payload);
      } catch {
        // One faulty subscriber must not starve the others.
      }
    }
  }

  get channelCount(): number {
    return this.byChannel.size;
  }
}
