"use client";

// Alerts the agent while the dashboard tab is hidden: a sound and a browser
// notification for a new conversation, a customer's message in a conversation
// assigned to them, and an @mention, each as their preferences say. Fed by the
// dashboard's one live subscription (live.tsx).
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef } from "react";
import { useMe } from "@/components/auth/auth-gate";
import { useAgentNames } from "@/components/inbox/team";
import { customerLabel } from "@/lib/format";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { type Alert, alertForCustomerMessage, alertForMention } from "./alert-rules";
import { playChime, unlockAudioOnGesture } from "./chime";

type LiveEvent = RouterOutputs["dashboard"]["events"] extends AsyncIterable<infer E> ? E : never;
type DashboardEvent = LiveEvent extends infer E
  ? E extends { data: infer D; id: string }
    ? D
    : E
  : never;

/** Message bodies this tab saw lately, to word a mention's alert. */
const REMEMBERED = 100;

/** Whether the browser can show notifications and the agent allowed them. */
export function desktopNotificationsAllowed(): boolean {
  return typeof Notification !== "undefined" && Notification.permission === "granted";
}

export function useAlerts(): (event: DashboardEvent) => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const myId = useMe().user.id;
  const agentNames = useAgentNames();
  const preferences = useQuery(trpc.notifications.preferences.queryOptions());

  const state = useRef({
    preferences: preferences.data,
    agentNames,
    bodies: new Map<string, string>(),
    alerted: new Set<string>(),
  });
  state.current.preferences = preferences.data;
  state.current.agentNames = agentNames;

  useEffect(() => unlockAudioOnGesture(), []);

  const deliver = useCallback(
    (alert: Alert) => {
      const prefs = state.current.preferences;
      if (!prefs || document.visibilityState !== "hidden") return;
      if (prefs.sound) playChime();
      if (prefs.desktop && desktopNotificationsAllowed()) {
        const notification = new Notification(alert.title, { body: alert.body, tag: alert.tag });
        notification.onclick = () => {
          window.focus();
          router.push(`/inbox/${alert.conversationId}`);
          notification.close();
        };
      }
    },
    [router],
  );

  /** Once per key (a message or mention delivered twice alerts once). */
  const once = useCallback((key: string) => {
    const { alerted } = state.current;
    if (alerted.has(key)) return false;
    alerted.add(key);
    if (alerted.size > REMEMBERED) alerted.delete(alerted.values().next().value as string);
    return true;
  }, []);

  return useCallback(
    (event: DashboardEvent) => {
      const { bodies, preferences: prefs } = state.current;
      if (event.type === "message.created") {
        const { message } = event;
        bodies.set(message.id, message.body);
        if (bodies.size > REMEMBERED) bodies.delete(bodies.keys().next().value as string);
        // A repeat (no previousSeq) was announced before; a visible tab needs no alert.
        if (message.senderType !== "customer" || event.previousSeq === undefined) return;
        if (!prefs || document.visibilityState !== "hidden" || !once(message.id)) return;
        void queryClient
          .fetchQuery(trpc.conversations.get.queryOptions({ id: event.conversationId }))
          .then((conversation) => {
            const alert = alertForCustomerMessage(
              {
                conversationId: event.conversationId,
                body: message.body,
                startsConversation: event.previousSeq === null,
                assigneeId: conversation.assigneeId,
                customerName: customerLabel(conversation.customer),
              },
              myId,
              prefs,
            );
            if (alert) deliver(alert);
          })
          .catch(() => {});
        return;
      }
      if (event.type === "mention.created") {
        if (!prefs || !once(`mention:${event.messageId}:${event.userId}`)) return;
        const alert = alertForMention(
          {
            conversationId: event.conversationId,
            userId: event.userId,
            authorName:
              (event.mentionedById && state.current.agentNames.get(event.mentionedById)) ||
              "A teammate",
            body: bodies.get(event.messageId) ?? null,
          },
          myId,
          prefs,
        );
        if (alert) deliver(alert);
      }
    },
    [deliver, myId, once, queryClient, trpc],
  );
}
