"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Mail, ShieldCheck } from "lucide-react";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { SummarizeButton } from "@/components/assistant/summarize-button";
import { CustomerSidebar } from "@/components/customers/customer-sidebar";
import { ErrorMessage } from "@/components/error-message";
import { Badge } from "@/components/ui/badge";
import { customerLabel } from "@/lib/format";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { latestMessagesInput, MESSAGE_PAGE_SIZE, type Message } from "./cache";
import { Composer } from "./composer";
import { ConversationActions } from "./conversation-actions";
import { CustomerAvatar } from "./customer-avatar";
import { useCustomerOnline } from "./live";
import { MessageList } from "./message-list";
import { TypingIndicator } from "./typing-indicator";

type Conversation = RouterOutputs["conversations"]["get"];

export function ConversationView({ id }: { id: string }) {
  const trpc = useTRPC();
  const conversation = useQuery(trpc.conversations.get.queryOptions({ id }));

  if (conversation.isError) {
    return (
      <section className="flex flex-1 items-center justify-center p-6">
        <ErrorMessage error={conversation.error} />
      </section>
    );
  }
  if (!conversation.data) {
    return (
      <section className="flex flex-1 items-center justify-center p-6">
        <p className="text-sm text-muted-foreground">Loading conversation…</p>
      </section>
    );
  }
  return (
    <>
      <Thread conversation={conversation.data} />
      <CustomerSidebar
        customerId={conversation.data.customer.id}
        conversationId={id}
        className="hidden w-80 shrink-0 overflow-y-auto border-l xl:block"
      />
    </>
  );
}

function Thread({ conversation }: { conversation: Conversation }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = conversation.id;

  // Kept current by the dashboard's live events: new messages are appended as they arrive.
  const latest = useQuery(trpc.messages.list.queryOptions(latestMessagesInput(id)));
  const older = useOlderMessages(id, latest.data?.olderCursor ?? null);
  const messages = mergeMessages(older.pages, latest.data?.items ?? []);

  // Reading a conversation marks it read for the team: on opening it, and again
  // when a message arrives while it is on screen (not while the tab is hidden,
  // so the unread count in the title still tells the agent). A conversation the
  // team has read is marked again while it holds the agent's unread mentions:
  // that is what reads them.
  const markRead = useMutation(
    trpc.conversations.markRead.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.conversations.get.queryKey({ id }) }),
          queryClient.invalidateQueries({ queryKey: trpc.conversations.list.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.conversations.counts.pathKey() }),
        ]),
    }),
  );
  const { mutate: markReadMutate } = markRead;
  const visible = useDocumentVisible();
  const markedFor = useRef<Conversation | null>(null);
  useEffect(() => {
    const unread = !conversation.read || conversation.unreadMentions > 0;
    if (!unread || !visible || markedFor.current === conversation) return;
    markedFor.current = conversation;
    markReadMutate({ id, read: true });
  }, [id, conversation, visible, markReadMutate]);

  return (
    <section className="flex min-w-0 flex-1 flex-col" aria-label="Conversation">
      <ThreadHeader conversation={conversation} />
      {latest.isError ? <ErrorMessage error={latest.error} className="m-4" /> : null}
      <MessageList messages={messages} customer={conversation.customer} older={older} />
      <TypingIndicator conversationId={id} customer={conversation.customer} />
      <Composer
        conversationId={id}
        emailTo={conversation.channel === "email" ? conversation.customer.email : undefined}
      />
    </section>
  );
}

/**
 * Pages of messages before the newest page, fetched on demand (oldest page first).
 * The page keys the view by conversation id, so this state never crosses conversations.
 */
function useOlderMessages(conversationId: string, firstCursor: number | null) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [pages, setPages] = useState<Message[][]>([]);
  const [cursor, setCursor] = useState<number | null | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const nextCursor = cursor === undefined ? firstCursor : cursor;

  async function load() {
    if (nextCursor === null || loading) return;
    setLoading(true);
    try {
      const page = await queryClient.fetchQuery(
        trpc.messages.list.queryOptions({
          conversationId,
          before: nextCursor,
          limit: MESSAGE_PAGE_SIZE,
        }),
      );
      setPages((prev) => [page.items, ...prev]);
      setCursor(page.olderCursor);
    } finally {
      setLoading(false);
    }
  }
  return { pages, cursor: nextCursor, loading, load };
}

function mergeMessages(olderPages: Message[][], latest: Message[]): Message[] {
  const seen = new Set<string>();
  const all: Message[] = [];
  for (const m of [...olderPages.flat(), ...latest]) {
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    all.push(m);
  }
  return all.sort((a, b) => a.seq - b.seq);
}

function subscribeVisibility(onChange: () => void) {
  document.addEventListener("visibilitychange", onChange);
  return () => document.removeEventListener("visibilitychange", onChange);
}

function useDocumentVisible(): boolean {
  return useSyncExternalStore(
    subscribeVisibility,
    () => document.visibilityState === "visible",
    () => false,
  );
}

function ThreadHeader({ conversation }: { conversation: Conversation }) {
  const name = customerLabel(conversation.customer);
  const online = useCustomerOnline(conversation.customer.id);
  const closed = conversation.status === "closed";
  const snoozedUntil =
    conversation.status === "snoozed" && conversation.snoozedUntil
      ? new Date(conversation.snoozedUntil)
      : null;

  return (
    <div className="border-b bg-background px-6 py-3">
      <div className="flex flex-wrap items-center gap-3">
        <CustomerAvatar label={name} online={online} />
        <div className="min-w-0">
          <h2 className="truncate font-semibold" data-testid="conversation-title">
            {name}
          </h2>
          {conversation.customer.email && conversation.customer.name ? (
            <p className="truncate text-xs text-muted-foreground">{conversation.customer.email}</p>
          ) : null}
          {conversation.channel === "email" && conversation.subject ? (
            <p className="truncate text-sm" data-testid="conversation-subject">
              {conversation.subject}
            </p>
          ) : null}
        </div>
        {conversation.channel === "email" ? (
          <Badge variant="outline" data-testid="conversation-channel">
            <Mail aria-hidden />
            Email
          </Badge>
        ) : null}
        {/* A verified id was proven by the host's identity hash; an unverified one is only a claim. */}
        {conversation.customer.externalId ? (
          <Badge
            variant={conversation.customer.verified ? "success" : "outline"}
            title={`ID ${conversation.customer.externalId}`}
            data-testid="customer-identity"
          >
            {conversation.customer.verified ? <ShieldCheck aria-hidden /> : null}
            {conversation.customer.verified ? "Verified" : "Unverified ID"}
          </Badge>
        ) : null}
        <Badge
          variant={closed ? "secondary" : snoozedUntil ? "warning" : "success"}
          className="capitalize"
          data-testid="conversation-status"
          title={snoozedUntil ? `Snoozed until ${snoozedUntil.toLocaleString()}` : undefined}
        >
          {conversation.status}
        </Badge>
        {snoozedUntil ? (
          <span className="text-xs text-muted-foreground" data-testid="snoozed-until">
            until {snoozedUntil.toLocaleString()}
          </span>
        ) : null}
        {conversation.tags.map((tag) => (
          <Badge
            key={tag.id}
            variant="outline"
            style={{ borderColor: tag.color ?? undefined }}
            data-testid="conversation-header-tag"
          >
            {tag.name}
          </Badge>
        ))}
        <div className="ml-auto flex items-center gap-2">
          <SummarizeButton conversationId={conversation.id} />
          <ConversationActions conversation={conversation} />
        </div>
      </div>
    </div>
  );
}
