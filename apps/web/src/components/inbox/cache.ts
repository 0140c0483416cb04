// Patches to the react-query cache shared by the live events and the composer.
import type { QueryClient } from "@tanstack/react-query";
import type { RouterOutputs, useTRPC } from "@/lib/trpc";

type Trpc = ReturnType<typeof useTRPC>;
export type Message = RouterOutputs["messages"]["list"]["items"][number];
type MessagePage = RouterOutputs["messages"]["list"];

/** Newest messages shown when a conversation opens; older pages load on demand. */
export const MESSAGE_PAGE_SIZE = 50;

/** The input of the query holding a conversation's newest messages (the one live events patch). */
export const latestMessagesInput = (conversationId: string) => ({
  conversationId,
  limit: MESSAGE_PAGE_SIZE,
});

/** Keeps only the fields the messages query returns (events carry a few more). */
function toMessage(m: Message): Message {
  return {
    id: m.id,
    seq: m.seq,
    conversationId: m.conversationId,
    type: m.type,
    senderType: m.senderType,
    userId: m.userId,
    customerId: m.customerId,
    body: m.body,
    private: m.private,
    clientMessageId: m.clientMessageId,
    seenAt: m.seenAt,
    metadata: m.metadata,
    attachments: m.attachments ?? [],
    createdAt: m.createdAt,
  };
}

/**
 * Adds a message to the open thread's newest page, once (by id). A page still
 * loading is refetched instead, since its answer may predate the message.
 */
export function addMessage(queryClient: QueryClient, trpc: Trpc, message: Message): void {
  const queryKey = trpc.messages.list.queryKey(latestMessagesInput(message.conversationId));
  const state = queryClient.getQueryState(queryKey);
  if (!state) return;
  if (state.fetchStatus === "fetching" || !state.data) {
    void queryClient.invalidateQueries({ queryKey, exact: true });
    return;
  }
  queryClient.setQueryData(queryKey, (page: MessagePage | undefined) => {
    if (!page || page.items.some((m) => m.id === message.id)) return page;
    const items = [...page.items, toMessage(message)].sort((a, b) => a.seq - b.seq);
    return { ...page, items };
  });
}

/** The customer has seen agent replies up to `upToSeq`. */
export function markSeen(
  queryClient: QueryClient,
  trpc: Trpc,
  input: { conversationId: string; upToSeq: number; seenAt: string },
): void {
  const queryKey = trpc.messages.list.queryKey(latestMessagesInput(input.conversationId));
  queryClient.setQueryData(queryKey, (page: MessagePage | undefined) => {
    if (!page) return page;
    let changed = false;
    const items = page.items.map((m) => {
      if (m.seenAt || m.senderType === "customer" || m.private || m.seq > input.upToSeq) return m;
      changed = true;
      return { ...m, seenAt: input.seenAt };
    });
    return changed ? { ...page, items } : page;
  });
}
