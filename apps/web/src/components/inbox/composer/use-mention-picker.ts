"use client";

// "@" in the composer: pick an active teammate; the body gets "@Name " and the
// teammate's id is kept beside it until the message is sent.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useMe } from "@/components/auth/auth-gate";
import { useTRPC } from "@/lib/trpc";
import { liveMentionIds, mentionText, replaceToken } from "./token-text";
import { useTokenPicker } from "./use-token-picker";

export type Teammate = { userId: string; name: string; email: string };

export function useMentionPicker({
  text,
  caret,
  onText,
}: {
  text: string;
  caret: number | null;
  /** Sets the body and where the caret goes. */
  onText: (text: string, caret: number) => void;
}) {
  const trpc = useTRPC();
  const me = useMe();
  const team = useQuery(trpc.team.list.queryOptions(undefined, { staleTime: 5 * 60_000 }));
  // Mentioning oneself notifies nobody, and a disabled teammate cannot be mentioned.
  const teammates: Teammate[] = (team.data ?? []).filter(
    (m) => !m.disabledAt && m.userId !== me.user.id,
  );
  const [picked, setPicked] = useState<{ userId: string; name: string }[]>([]);

  const picker = useTokenPicker({
    text,
    caret,
    trigger: "@",
    options: teammates,
    labelOf: (m) => m.name,
    keyOf: (m) => m.userId,
    onPick(mate, token) {
      const next = replaceToken(text, token, `${mentionText(mate.name)} `);
      setPicked((list) => [...list, { userId: mate.userId, name: mate.name }]);
      onText(next.text, next.caret);
    },
  });

  return {
    picker,
    /** Ids of the picked teammates still mentioned in `body`. */
    mentionedIds: (body: string) => liveMentionIds(body, picked),
    /** After a send: the next message starts with no mentions. */
    clear: () => setPicked([]),
  };
}
