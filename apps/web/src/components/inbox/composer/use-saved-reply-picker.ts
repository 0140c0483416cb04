"use client";

// "/" at the start of the text or after a space: pick a saved reply by its
// shortcut; its body replaces the "/shortcut" typed.
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { replaceToken } from "./token-text";
import { useTokenPicker } from "./use-token-picker";

export function useSavedReplyPicker({
  text,
  caret,
  onText,
}: {
  text: string;
  caret: number | null;
  onText: (text: string, caret: number) => void;
}) {
  const trpc = useTRPC();
  const replies = useQuery(trpc.savedReplies.list.queryOptions(undefined, { staleTime: 60_000 }));
  return useTokenPicker({
    text,
    caret,
    trigger: "/",
    options: replies.data ?? [],
    labelOf: (r) => r.shortcut,
    keyOf: (r) => r.id,
    onPick(reply, token) {
      const next = replaceToken(text, token, reply.body);
      onText(next.text, next.caret);
    },
  });
}
