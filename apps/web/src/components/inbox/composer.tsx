"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Lock, Paperclip, Send } from "lucide-react";
import { useId, useLayoutEffect, useRef, useState } from "react";
import { ComposerHelp } from "@/components/assistant/composer-help";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";
import { randomId } from "@/lib/ids";
import { useTRPC, useTRPCClient } from "@/lib/trpc";
import { cn } from "@/lib/utils";
import { addMessage, type Message } from "./cache";
import { AttachmentChips } from "./composer/attachment-chips";
import { TokenListbox } from "./composer/token-listbox";
import { useAttachmentUploads } from "./composer/use-attachment-uploads";
import { useMentionPicker } from "./composer/use-mention-picker";
import { useSavedReplyPicker } from "./composer/use-saved-reply-picker";

/** The server shows typing for 5 s and drops reports more often than 1/s. */
const TYPING_EVERY_MS = 2_000;

/**
 * Tells the customer (or, for a note, teammates) that the agent is typing,
 * at most once every 2 s. Failures are ignored: typing is a hint.
 */
function useTypingReporter(conversationId: string) {
  const client = useTRPCClient();
  const last = useRef({ at: 0, private: false });
  return {
    typed(isNote: boolean) {
      const now = Date.now();
      if (last.current.private === isNote && now - last.current.at < TYPING_EVERY_MS) return;
      last.current = { at: now, private: isNote };
      client.conversations.typing.mutate({ conversationId, private: isNote }).catch(() => {});
    },
    /** After a send the next keystroke is a new message: report it right away. */
    reset() {
      last.current = { at: 0, private: false };
    },
  };
}

/**
 * Reply to the customer, or leave a private note for teammates. "@" mentions
 * a teammate, "/" inserts a saved reply, files attach by button, paste or
 * drop. Ctrl/Cmd+Enter sends.
 */
export function Composer({
  conversationId,
  emailTo,
}: {
  conversationId: string;
  /** Set for email conversations: replies go out by email to this address. */
  emailTo?: string | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [body, setBody] = useState("");
  const [caret, setCaret] = useState(0);
  // The pickers show only while the agent is in the text box.
  const [focused, setFocused] = useState(false);
  const [isNote, setIsNote] = useState(false);
  const [dragging, setDragging] = useState(false);
  const inputId = useId();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  // Where the caret goes once a pick has replaced the text.
  const caretAfterRender = useRef<number | null>(null);
  // One id per message being written, so a retried send is stored once.
  const clientMessageId = useRef(randomId());
  const typing = useTypingReporter(conversationId);

  const setText = (text: string, at: number) => {
    setBody(text);
    setCaret(at);
    caretAfterRender.current = at;
  };
  useLayoutEffect(() => {
    const at = caretAfterRender.current;
    if (at === null || !textarea.current) return;
    caretAfterRender.current = null;
    textarea.current.focus();
    textarea.current.setSelectionRange(at, at);
  });

  const pickerCaret = focused ? caret : null;
  const mentions = useMentionPicker({ text: body, caret: pickerCaret, onText: setText });
  const savedReplies = useSavedReplyPicker({ text: body, caret: pickerCaret, onText: setText });
  const attachments = useAttachmentUploads();
  // At most one is open: the caret ends either an "@" word or a "/" word.
  const picker = mentions.picker.open ? mentions.picker : savedReplies;

  // The live events bring the message too; adding it here shows it at once,
  // and also when the live connection is down.
  const onSent = async (message: Message) => {
    setText("", 0);
    mentions.clear();
    attachments.clear();
    clientMessageId.current = randomId();
    typing.reset();
    addMessage(queryClient, trpc, message);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.conversations.list.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.conversations.counts.pathKey() }),
    ]);
  };
  const reply = useMutation(trpc.messages.reply.mutationOptions({ onSuccess: onSent }));
  const note = useMutation(trpc.messages.note.mutationOptions({ onSuccess: onSent }));
  const pending = reply.isPending || note.isPending;
  const error = isNote ? note.error : reply.error;
  const canSend = !!body.trim() && !pending && !attachments.uploading;

  function send() {
    const text = body.trim();
    if (!text || !canSend) return;
    const input = {
      conversationId,
      body: text,
      clientMessageId: clientMessageId.current,
      attachmentIds: attachments.ids,
      mentionedUserIds: mentions.mentionedIds(text),
    };
    if (isNote) note.mutate(input);
    else reply.mutate(input);
  }

  const readCaret = (el: HTMLTextAreaElement) => setCaret(el.selectionStart);

  return (
    <form
      className={cn(
        "border-t p-4",
        isNote ? "bg-note/60" : "bg-background",
        dragging && "outline-2 -outline-offset-4 outline-dashed outline-ring",
      )}
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes("Files")) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(event) => {
        if (event.dataTransfer.files.length === 0) return;
        event.preventDefault();
        setDragging(false);
        attachments.add(event.dataTransfer.files);
      }}
      data-testid="composer"
    >
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <Button
          type="button"
          variant={isNote ? "secondary" : "ghost"}
          size="sm"
          aria-pressed={isNote}
          onClick={() => setIsNote((v) => !v)}
          data-testid="note-toggle"
          className={cn(isNote && "bg-note-border/60 hover:bg-note-border")}
        >
          <Lock aria-hidden />
          Private note
        </Button>
        <span className="text-xs text-muted-foreground">
          {isNote ? (
            "Only your team sees notes."
          ) : emailTo !== undefined ? (
            <span data-testid="composer-email-notice">
              {emailTo
                ? `Your reply goes out by email to ${emailTo}`
                : "Your reply goes out by email (the customer has no address yet)"}
            </span>
          ) : (
            "The customer sees replies."
          )}
        </span>
      </div>
      <ComposerHelp
        conversationId={conversationId}
        draft={body}
        onText={(text) => setText(text, text.length)}
      />
      <AttachmentChips items={attachments.items} onRemove={attachments.remove} />
      <label htmlFor={inputId} className="sr-only">
        {isNote ? "Private note" : "Reply"}
      </label>
      <div className="relative">
        <TokenListbox
          picker={mentions.picker}
          label="Mention a teammate"
          testId="mention-options"
          renderItem={(m) => (
            <span className="flex min-w-0 items-baseline gap-2">
              <span className="truncate font-medium">{m.name}</span>
              <span className="truncate text-xs text-muted-foreground">{m.email}</span>
            </span>
          )}
        />
        <TokenListbox
          picker={savedReplies}
          label="Saved replies"
          testId="saved-reply-options"
          renderItem={(r) => (
            <span className="flex min-w-0 flex-col">
              <span className="font-medium">/{r.shortcut}</span>
              <span className="truncate text-xs text-muted-foreground">{r.body}</span>
            </span>
          )}
        />
        <Textarea
          id={inputId}
          ref={textarea}
          value={body}
          {...picker.inputProps}
          onChange={(event) => {
            setBody(event.target.value);
            readCaret(event.target);
            if (event.target.value.trim()) typing.typed(isNote);
          }}
          onSelect={(event) => readCaret(event.currentTarget)}
          onFocus={() => setFocused(true)}
          onBlur={() => setFocused(false)}
          onKeyDown={(event) => {
            if (picker.onKeyDown(event)) return;
            if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              send();
            }
          }}
          onPaste={(event) => {
            if (event.clipboardData.files.length === 0) return;
            event.preventDefault();
            attachments.add(event.clipboardData.files);
          }}
          placeholder={
            isNote
              ? "Write a note for your team… @ mentions a teammate"
              : "Write a reply… / inserts a saved reply"
          }
          rows={3}
          className="resize-none bg-background"
          data-testid="composer-input"
        />
      </div>
      {attachments.notice ? (
        <p className="mt-2 text-sm text-destructive" role="alert">
          {attachments.notice}
        </p>
      ) : null}
      <ErrorMessage error={error} className="mt-2" testId="composer-error" />
      <div className="mt-2 flex items-center gap-2">
        <input
          ref={fileInput}
          type="file"
          multiple
          className="hidden"
          tabIndex={-1}
          aria-hidden
          onChange={(event) => {
            if (event.target.files) attachments.add(event.target.files);
            event.target.value = "";
          }}
          data-testid="composer-file-input"
        />
        <Button
          type="button"
          variant="ghost"
          size="icon"
          onClick={() => fileInput.current?.click()}
          aria-label="Attach files"
          title="Attach files (or paste or drop them)"
          data-testid="composer-attach"
        >
          <Paperclip aria-hidden />
        </Button>
        <span className="text-xs text-muted-foreground">
          {attachments.uploading ? "Uploading…" : "Ctrl + Enter to send"}
        </span>
        <Button
          type="submit"
          size="sm"
          disabled={!canSend}
          className="ml-auto"
          data-testid="composer-send"
        >
          <Send aria-hidden />
          {isNote ? "Add note" : "Send"}
        </Button>
      </div>
    </form>
  );
}
