// Domain events: published on the bus after the transaction that caused them
// commits, so a subscriber that re-reads Postgres always finds what it was told.
// Private notes go to the account's agents only, never to a visitor's channel.
import type { Db } from "@netia/db";
import { channels, type EventBus } from "@netia/realtime";
import type { ReplyJobs } from "./assistant-trigger";
import type { EmailReplyJobs } from "./email-replies";
import type { Logger } from "./logger";
import type { MessageDTO } from "./message-dto";
import type { SlackThreadJobs } from "./slack-sync";
import type { WebhookJobs } from "./webhook-events";

/** Everything a write that emits events needs. The runtime satisfies it. */
export type WriteDeps = {
  db: Db;
  bus: EventBus;
  logger?: Logger;
  /**
   * Where a customer message enqueues its AI reply, an email reply its
   * delivery, a write its webhooks' fan-out and its Slack thread's sync; none:
   * nothing is enqueued.
   */
  jobs?: ReplyJobs & EmailReplyJobs & WebhookJobs & SlackThreadJobs;
  /** The AI provider; null or absent (no OPENAI_API_KEY): the assistant never answers. */
  ai?: object | null;
};

export type Sender = { type: "user" | "customer" | "bot"; id: string; name?: string | null };

export type DomainEvent =
  | {
      type: "message.created";
      accountId: string;
      conversationId: string;
      message: MessageDTO;
      /**
       * Seq of the conversation's public message before this one (null: it is
       * the first), read under the conversation's row lock. Absent when not
       * known (a repeat announced again): subscribers then read what they miss.
       */
      previousSeq?: number | null;
    }
  | {
      type: "conversation.created" | "conversation.updated";
      accountId: string;
      conversationId: string;
      /**
       * Set when who answers the customer changed (a handoff to people): the
       * one change the visitor's stream needs, so such an update also goes to
       * the conversation's channel. Nothing private rides along.
       */
      answeredBy?: "assistant" | "people";
    }
  | {
      type: "message.seen";
      accountId: string;
      conversationId: string;
      upToSeq: number;
      seenAt: string;
    }
  | {
      type: "typing";
      accountId: string;
      conversationId: string;
      sender: Sender;
      /** Private typing (a note) is shown to agents only. */
      private: boolean;
      expiresAt: string;
    }
  | {
      type: "presence";
      accountId: string;
      kind: "agent" | "customer";
      id: string;
      online: boolean;
    }
  | { type: "availability"; accountId: string; agentsOnline: boolean }
  | {
      /**
       * A piece of the assistant's reply while it is being written (docs/assistant.md).
       * Not stored: the `message.created` of the finished reply carries the same
       * `streamId` in its metadata and replaces the draft.
       */
      type: "assistant.delta";
      accountId: string;
      conversationId: string;
      streamId: string;
      /** 0, 1, 2... in order; a client that sees a gap waits for the finished message. */
      index: number;
      /** Text to append to the draft. */
      delta: string;
    }
  | {
      /**
       * The assistant dropped the draft `streamId` (a newer customer message
       * arrived while it was writing; the next reply answers both): clients
       * remove the draft.
       */
      type: "assistant.discarded";
      accountId: string;
      conversationId: string;
      streamId: string;
    }
  | {
      /**
       * A teammate was @mentioned in a reply or note. Goes to the account's
       * agents; the mentioned agent's dashboard notifies them (their
       * notification preferences decide how).
       */
      type: "mention.created";
      accountId: string;
      conversationId: string;
      messageId: string;
      /** The agent mentioned. */
      userId: string;
      mentionedById: string | null;
    }
  | {
      /** An agent read the conversation: the visitor's messages show as seen. */
      type: "conversation.read";
      accountId: string;
      conversationId: string;
      readAt: string;
    };

function channelsFor(event: DomainEvent): string[] {
  const account = channels.account(event.accountId);
  switch (event.type) {
    case "message.created":
      return event.message.private
        ? [account]
        : [account, channels.conversation(event.accountId, event.conversationId)];
    case "typing":
      return event.private
        ? [account]
        : [account, channels.conversation(event.accountId, event.conversationId)];
    case "message.seen":
    case "conversation.read":
    case "assistant.delta":
    case "assistant.discarded":
      return [account, channels.conversation(event.accountId, event.conversationId)];
    case "availability":
      return [channels.availability(event.accountId)];
    case "conversation.updated":
      return event.answeredBy
        ? [account, channels.conversation(event.accountId, event.conversationId)]
        : [account];
    default:
      return [account];
  }
}

/**
 * Publishes without failing or delaying the caller: the write is already
 * committed, so its answer never waits on the bus (a Redis outage delays live
 * delivery, not the sender). Events of one process reach the bus in the order
 * of these calls; a subscriber that missed one catches up from Postgres (the
 * visitor's stream at once, from `previousSeq`; every stream when the bus
 * resyncs).
 */
export function publish(deps: Pick<WriteDeps, "bus" | "logger">, event: DomainEvent): void {
  if (
    event.type !== "typing" &&
    event.type !== "presence" &&
    event.type !== "availability" &&
    event.type !== "assistant.delta" &&
    event.type !== "assistant.discarded"
  ) {
    // One line per change, tagged so `grep conversation:<id>` tells its story.
    deps.logger?.info(
      { event: event.type, accountId: event.accountId },
      `${event.type} conversation:${event.conversationId}`,
    );
  }
  deps.bus.publish(channelsFor(event), event).catch((err: unknown) => {
    deps.logger?.error(
      { err, event: event.type },
      `event not published for conversation:${"conversationId" in event ? event.conversationId : "-"}`,
    );
  });
}
