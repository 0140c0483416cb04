// The assistant's replies while they are being written, built from the
// `assistant.delta` events of the dashboard's stream. Pieces may arrive out of
// order (several nodes relay them); the draft shows the text up to the first
// gap. The finished reply (a `message.created` whose metadata.streamId is the
// draft's) or `assistant.discarded` removes it.

export type Draft = {
  streamId: string;
  /** The text of pieces 0..n without a gap. */
  text: string;
  /** Pieces after a gap, by index, until the gap is filled. */
  pending: ReadonlyMap<number, string>;
  /** The index the text continues with. */
  next: number;
};

/** A conversation's drafts, oldest first (usually one). */
export type Drafts = readonly Draft[];

/** The drafts with `delta` applied; the same array when it changes nothing (a repeat). */
export function applyDelta(
  drafts: Drafts,
  event: { streamId: string; index: number; delta: string },
): Drafts {
  const existing = drafts.find((d) => d.streamId === event.streamId);
  const draft: Draft = existing ?? {
    streamId: event.streamId,
    text: "",
    pending: new Map(),
    next: 0,
  };
  if (event.index < draft.next || draft.pending.has(event.index)) return drafts;
  const pending = new Map(draft.pending);
  pending.set(event.index, event.delta);
  let { text, next } = draft;
  for (let piece = pending.get(next); piece !== undefined; piece = pending.get(next)) {
    text += piece;
    pending.delete(next);
    next++;
  }
  const updated: Draft = { streamId: event.streamId, text, pending, next };
  return existing
    ? drafts.map((d) => (d.streamId === event.streamId ? updated : d))
    : [...drafts, updated];
}

/** The drafts without `streamId`; the same array when it was not there. */
export function dropDraft(drafts: Drafts, streamId: string): Drafts {
  return drafts.some((d) => d.streamId === streamId)
    ? drafts.filter((d) => d.streamId !== streamId)
    : drafts;
}

/** The stream a finished bot message replaces, if it was streamed. */
export function streamIdOf(message: { metadata?: Record<string, unknown> | null }): string | null {
  const id = message.metadata?.streamId;
  return typeof id === "string" ? id : null;
}
