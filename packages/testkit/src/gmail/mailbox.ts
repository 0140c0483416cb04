// The state of one fake Gmail mailbox: messages (raw MIME, base64url as the
// API returns them), threads, labels and a history log, numbered the way
// Gmail numbers them (history ids only grow; a sync resumes after one).

export type StoredMessage = {
  id: string;
  threadId: string;
  labelIds: string[];
  /** The whole message as sent or received (RFC 5322). */
  raw: string;
  historyId: number;
  internalDate: number;
};

export type HistoryRecord = {
  id: number;
  messagesAdded: { id: string; threadId: string; labelIds: string[] }[];
};

/** Message-ID, In-Reply-To and References of a raw message (enough to thread it as Gmail does). */
function threadingHeaders(raw: string): { messageId?: string; refs: string[] } {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? "";
  const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
  const header = (name: string) =>
    new RegExp(`^${name}:\\s*(.*)$`, "im").exec(unfolded)?.[1]?.trim();
  const ids = (value?: string) => value?.match(/<[^>]+>/g) ?? [];
  return {
    messageId: ids(header("Message-ID"))[0],
    refs: [...ids(header("In-Reply-To")), ...ids(header("References"))],
  };
}

export class Mailbox {
  readonly messages = new Map<string, StoredMessage>();
  readonly history: HistoryRecord[] = [];
  /** History ids before this one are gone: a history list from them answers 404. */
  oldestHistoryId = 1;
  historyId = 1000;
  private nextId = 1;
  private byMessageIdHeader = new Map<string, string>();

  constructor(readonly emailAddress: string) {}

  private newId(): string {
    // Gmail's ids are 16 hex digits; increasing ones keep listings predictable.
    return (0x18c0000000000000n + BigInt(this.nextId++)).toString(16);
  }

  /**
   * Stores a message as Gmail would on delivery or sending: in the thread of a
   * message it answers (In-Reply-To/References) unless `threadId` is given,
   * with a history record of its own.
   */
  add(raw: string, options: { labelIds?: string[]; threadId?: string } = {}): StoredMessage {
    const { messageId, refs } = threadingHeaders(raw);
    let threadId = options.threadId;
    if (!threadId) {
      for (const ref of refs) {
        const parent = this.byMessageIdHeader.get(ref);
        if (parent) {
          threadId = this.messages.get(parent)?.threadId;
          break;
        }
      }
    }
    const id = this.newId();
    const message: StoredMessage = {
      id,
      threadId: threadId ?? id,
      labelIds: options.labelIds ?? ["INBOX", "UNREAD"],
      raw,
      historyId: ++this.historyId,
      internalDate: Date.now(),
    };
    this.messages.set(id, message);
    if (messageId) this.byMessageIdHeader.set(messageId, id);
    this.history.push({
      id: message.historyId,
      messagesAdded: [{ id, threadId: message.threadId, labelIds: message.labelIds }],
    });
    return message;
  }

  /** Forgets the history before now: a sync from an older id must start over. */
  expireHistory(): void {
    this.oldestHistoryId = this.historyId + 1;
    this.history.length = 0;
  }

  /** Newest first, as users.messages.list returns them. */
  list(labelId?: string): StoredMessage[] {
    return [...this.messages.values()]
      .filter((m) => !labelId || m.labelIds.includes(labelId))
      .sort((a, b) => b.historyId - a.historyId);
  }
}
