"use client";

// The thread header's actions: assign, snooze, tags, priority, mark unread,
// close/reopen, each with a keyboard shortcut listed by `?`.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, Keyboard, MailWarning, RotateCcw, Star } from "lucide-react";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useMe } from "@/components/auth/auth-gate";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { NativeSelect } from "@/components/ui/native-select";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { isTyping, ShortcutsHelp } from "./shortcuts-help";
import { SnoozePicker } from "./snooze-picker";
import { TagPicker } from "./tag-picker";
import { listHref, parseInboxQuery } from "./views";

type Conversation = RouterOutputs["conversations"]["get"];

/** Every mutation here refreshes the conversation, the lists and the counts once it lands. */
function useConversationMutations(id: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.conversations.get.queryKey({ id }) }),
      queryClient.invalidateQueries({ queryKey: trpc.conversations.list.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.conversations.counts.pathKey() }),
    ]);
  return {
    update: useMutation(trpc.conversations.update.mutationOptions({ onSuccess: refresh })),
    snooze: useMutation(trpc.conversations.snooze.mutationOptions({ onSuccess: refresh })),
    addTag: useMutation(trpc.conversations.addTag.mutationOptions({ onSuccess: refresh })),
    removeTag: useMutation(trpc.conversations.removeTag.mutationOptions({ onSuccess: refresh })),
    markRead: useMutation(trpc.conversations.markRead.mutationOptions({ onSuccess: refresh })),
  };
}

export function ConversationActions({ conversation }: { conversation: Conversation }) {
  const trpc = useTRPC();
  const me = useMe();
  const router = useRouter();
  const query = parseInboxQuery(useSearchParams());
  const team = useQuery(trpc.team.list.queryOptions(undefined, { staleTime: 5 * 60_000 }));
  const m = useConversationMutations(conversation.id);
  const [openPanel, setOpenPanel] = useState<"snooze" | "tags" | null>(null);
  const [help, setHelp] = useState(false);
  const assigneeSelect = useRef<HTMLSelectElement>(null);

  const id = conversation.id;
  const closed = conversation.status === "closed";
  const high = conversation.priority === "high";
  const busy = m.update.isPending || m.snooze.isPending;
  const error =
    m.update.error ?? m.snooze.error ?? m.addTag.error ?? m.removeTag.error ?? m.markRead.error;

  const actions = {
    toggleClosed: () => m.update.mutate({ id, status: closed ? "open" : "closed" }),
    togglePriority: () => m.update.mutate({ id, priority: high ? "normal" : "high" }),
    assign: (assigneeId: string | null) => m.update.mutate({ id, assigneeId }),
    snooze: (until: Date) => m.snooze.mutate({ id, until: until.toISOString() }),
    // Opening a conversation marks it read, so "unread" also leaves it for the list.
    markUnread: () =>
      m.markRead.mutate({ id, read: false }, { onSuccess: () => router.push(listHref(query)) }),
  };
  const latest = useRef(actions);
  latest.current = actions;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e)) return;
      const act = latest.current;
      const keys: Record<string, () => void> = {
        e: act.toggleClosed,
        p: act.togglePriority,
        m: () => act.assign(me.user.id),
        a: () => assigneeSelect.current?.focus(),
        s: () => setOpenPanel("snooze"),
        t: () => setOpenPanel("tags"),
        u: act.markUnread,
        "?": () => setHelp(true),
      };
      const run = keys[e.key];
      if (!run) return;
      e.preventDefault();
      run();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [me.user.id]);

  const members = (team.data ?? []).filter(
    (member) => !member.disabledAt || member.userId === conversation.assigneeId,
  );

  return (
    <>
      <div className="flex flex-wrap items-center gap-2" data-testid="conversation-actions">
        <NativeSelect
          ref={assigneeSelect}
          aria-label="Assignee"
          aria-keyshortcuts="a"
          value={conversation.assigneeId ?? ""}
          onChange={(e) => actions.assign(e.target.value || null)}
          disabled={busy}
          className="h-8 max-w-44 text-xs"
          data-testid="assignee-select"
        >
          <option value="">Unassigned</option>
          {members.map((member) => (
            <option key={member.userId} value={member.userId}>
              {member.userId === me.user.id ? `${member.name} (me)` : member.name}
            </option>
          ))}
        </NativeSelect>
        <TagPicker
          open={openPanel === "tags"}
          onOpenChange={(open) => setOpenPanel(open ? "tags" : null)}
          selected={conversation.tags}
          onAdd={(tagId) => m.addTag.mutate({ conversationId: id, tagId })}
          onRemove={(tagId) => m.removeTag.mutate({ conversationId: id, tagId })}
          disabled={m.addTag.isPending || m.removeTag.isPending}
        />
        <Button
          variant="outline"
          size="sm"
          aria-pressed={high}
          aria-keyshortcuts="p"
          onClick={actions.togglePriority}
          disabled={busy}
          data-testid="toggle-priority"
        >
          <Star aria-hidden className={high ? "fill-warning text-warning" : undefined} />
          {high ? "Priority" : "Mark priority"}
        </Button>
        <Button
          variant="outline"
          size="sm"
          aria-keyshortcuts="u"
          onClick={actions.markUnread}
          disabled={m.markRead.isPending}
          data-testid="mark-unread"
        >
          <MailWarning aria-hidden />
          Mark unread
        </Button>
        {closed ? null : (
          <SnoozePicker
            open={openPanel === "snooze"}
            onOpenChange={(open) => setOpenPanel(open ? "snooze" : null)}
            onSnooze={actions.snooze}
            disabled={busy}
          />
        )}
        {closed ? (
          <Button
            variant="outline"
            size="sm"
            aria-keyshortcuts="e"
            onClick={actions.toggleClosed}
            disabled={busy}
            data-testid="reopen-conversation"
          >
            <RotateCcw aria-hidden />
            Reopen
          </Button>
        ) : (
          <Button
            size="sm"
            aria-keyshortcuts="e"
            onClick={actions.toggleClosed}
            disabled={busy}
            data-testid="close-conversation"
          >
            <CheckCircle2 aria-hidden />
            Close
          </Button>
        )}
        <Button
          variant="ghost"
          size="icon"
          className="size-8"
          aria-label="Keyboard shortcuts"
          aria-keyshortcuts="?"
          onClick={() => setHelp(true)}
          data-testid="shortcuts-button"
        >
          <Keyboard aria-hidden />
        </Button>
      </div>
      <ErrorMessage error={error} className="mt-2" testId="update-error" />
      <ShortcutsHelp open={help} onClose={() => setHelp(false)} />
    </>
  );
}
