// Ephemeral state that lives on the bus, not in Postgres: typing indicators
// and who is online. Losing it on a restart loses nothing of value.
import type { PresenceStore } from "@netia/realtime";
import { findConversation, type Visitor } from "./conversations";
import { publish, type Sender, type WriteDeps } from "./events";

/** A typing indicator disappears on its own this long after the last keystroke report. */
export const TYPING_TTL_MS = 5_000;
/** Reports closer together than this from one sender in one conversation are dropped. */
export const TYPING_THROTTLE_MS = 1_000;

const lastTyping = new Map<string, number>();

function throttled(key: string, now: number): boolean {
  const last = lastTyping.get(key);
  if (last !== undefined && now - last < TYPING_THROTTLE_MS) return true;
  if (lastTyping.size > 10_000) {
    for (const [k, t] of lastTyping) if (now - t > TYPING_TTL_MS) lastTyping.delete(k);
  }
  lastTyping.set(key, now);
  return false;
}

export async function reportTyping(
  deps: WriteDeps,
  input: {
    accountId: string;
    conversationId: string;
    sender: Sender;
    /** For a visitor: the conversation must be theirs, in their inbox. */
    visitor?: Visitor;
    private?: boolean;
  },
): Promise<{ published: boolean }> {
  await findConversation(deps.db, input.accountId, input.conversationId, input.visitor);
  const now = Date.now();
  const privately = input.private ?? false;
  if (
    throttled(`${input.conversationId}|${input.sender.type}:${input.sender.id}|${privately}`, now)
  ) {
    return { published: false };
  }
  publish(deps, {
    type: "typing",
    accountId: input.accountId,
    conversationId: input.conversationId,
    sender: input.sender,
    private: privately,
    expiresAt: new Date(now + TYPING_TTL_MS).toISOString(),
  });
  return { published: true };
}

export const presenceKeys = {
  agents: (accountId: string) => `${accountId}:agents`,
  customers: (accountId: string) => `${accountId}:customers`,
};

export type LiveDeps = WriteDeps & { presence: PresenceStore };

/**
 * Marks an agent or a customer online for as long as one of their connections
 * lasts; returns the function that ends this connection's share.
 */
export async function goOnline(
  deps: LiveDeps,
  input: { accountId: string; kind: "agent" | "customer"; id: string },
): Promise<() => Promise<void>> {
  const key =
    input.kind === "agent"
      ? presenceKeys.agents(input.accountId)
      : presenceKeys.customers(input.accountId);
  const { online, leave } = await deps.presence.join(key, input.id);
  const announce = async (isOnline: boolean) => {
    publish(deps, { type: "presence", ...input, online: isOnline });
    if (input.kind === "agent") {
      const agentsOnline = isOnline || (await deps.presence.list(key)).length > 0;
      publish(deps, { type: "availability", accountId: input.accountId, agentsOnline });
    }
  };
  if (online) await announce(true);
  let left = false;
  return async () => {
    if (left) return;
    left = true;
    if (await leave()) await announce(false);
  };
}
