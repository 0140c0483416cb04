// The assistant's reply while it is being written: `assistant.delta` events
// append to a draft bubble, in order of their index. The stored reply (a
// `message.created` whose metadata.streamId is the draft's) replaces it, and
// `assistant.discarded` drops it. Deltas are never stored, so a lost one cannot
// be read again: after a gap the draft stops growing and waits for the final
// message. A draft with nothing new for DRAFT_IDLE_MS (the job died, the final
// message never came) is dropped; the stored reply still arrives through the
// message stream if it exists.

export type AssistantDraft = {
  streamId: string;
  text: string;
  /** A delta went missing: the text stays as it is until the final message. */
  stalled: boolean;
};

export type DeltaEvent = { streamId: string; index: number; delta: string };

export const DRAFT_IDLE_MS = 30_000;
/** Ended streams remembered, so that a late delta does not start their draft again. */
const ENDED_KEPT = 50;

type Entry = AssistantDraft & { next: number; touchedAt: number };

export class AssistantDrafts {
  private entries: Entry[] = [];
  private ended: string[] = [];
  private sweepAt: number | null = null;

  constructor(
    private readonly hooks: {
      /** The drafts to show changed. */
      onChange(drafts: AssistantDraft[]): void;
      /** Runs `fn` after `ms` (the controller's timers, cleared when it is destroyed). */
      later(fn: () => void, ms: number): void;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return this.hooks.now ? this.hooks.now() : Date.now();
  }

  list(): AssistantDraft[] {
    return this.entries.map(({ streamId, text, stalled }) => ({ streamId, text, stalled }));
  }

  delta(event: DeltaEvent): void {
    if (this.ended.includes(event.streamId)) return;
    const now = this.now();
    let entry = this.entries.find((e) => e.streamId === event.streamId);
    if (!entry) {
      entry = { streamId: event.streamId, text: "", stalled: false, next: 0, touchedAt: now };
      this.entries = [...this.entries, entry];
    }
    entry.touchedAt = now;
    if (event.index < entry.next) return; // a repeat
    if (event.index > entry.next || entry.stalled) {
      entry.stalled = true;
    } else {
      entry.text += event.delta;
      entry.next += 1;
    }
    this.changed();
    this.scheduleSweep();
  }

  /**
   * The final message (or a discard) for these streams arrived: their drafts
   * go. Returns whether any was shown; the caller puts `list()` in the same
   * update as the message, so the reply replaces its draft in one render.
   */
  end(streamIds: Iterable<string>): boolean {
    let removed = false;
    for (const streamId of streamIds) {
      if (!this.ended.includes(streamId)) this.ended = [...this.ended, streamId].slice(-ENDED_KEPT);
      const before = this.entries.length;
      this.entries = this.entries.filter((e) => e.streamId !== streamId);
      removed ||= this.entries.length !== before;
    }
    return removed;
  }

  /** Another conversation is shown: nothing carries over (the caller shows no drafts). */
  clear(): void {
    this.ended = [];
    this.entries = [];
  }

  /** Drops drafts idle for DRAFT_IDLE_MS; checks again while some remain. */
  sweep(): void {
    this.sweepAt = null;
    const now = this.now();
    const idle = this.entries.filter((e) => now - e.touchedAt >= DRAFT_IDLE_MS);
    if (idle.length > 0 && this.end(idle.map((e) => e.streamId))) this.changed();
    this.scheduleSweep();
  }

  private scheduleSweep(): void {
    if (this.sweepAt !== null || this.entries.length === 0) return;
    const due = Math.min(...this.entries.map((e) => e.touchedAt)) + DRAFT_IDLE_MS;
    this.sweepAt = due;
    this.hooks.later(() => this.sweep(), Math.max(due - this.now(), 0));
  }

  private changed(): void {
    this.hooks.onChange(this.list());
  }
}

/** The stream ids of stored assistant replies among `messages`. */
export function streamIdsOf(messages: { metadata?: Record<string, unknown> }[]): string[] {
  const ids: string[] = [];
  for (const m of messages) {
    const id = m.metadata?.streamId;
    if (typeof id === "string" && id) ids.push(id);
  }
  return ids;
}
