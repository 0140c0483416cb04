import { createAgentMessage, listMessages, MAX_MENTIONS_PER_MESSAGE } from "@netia/core";
import { z } from "zod";
import { restRoutes } from "../rest-routes";
import {
  ZAttachmentIds,
  ZBody,
  ZClientMessageId,
  ZId,
  ZLimit,
  ZMessage,
  ZText,
  ZUserId,
} from "../schemas";
import { apiKeyProcedure, router } from "../trpc";

export const ZListMessagesInput = z.object({
  conversationId: ZId,
  /** Return messages older than this seq (the previous page's olderCursor). */
  before: z.coerce.number<number>().int().positive().optional(),
  limit: ZLimit.default(50),
});

export const ZSendAgentMessageInput = z.object({
  conversationId: ZId,
  body: ZBody,
  clientMessageId: ZClientMessageId.optional(),
  attachmentIds: ZAttachmentIds,
  /** Buttons under a reply; a click answers with that text (ignored on notes). */
  quickReplies: z.array(ZText.trim().min(1).max(100)).max(10).optional(),
  /**
   * Teammates @mentioned in the body (which shows them as "@Name" text). Each
   * must be an active member of the team; repeats collapse, and the author is
   * left out.
   */
  mentionedUserIds: z.array(ZUserId).max(MAX_MENTIONS_PER_MESSAGE).optional(),
});

const route = restRoutes("Messages");

export const messagesRouter = router({
  list: apiKeyProcedure("read")
    .meta(
      route(
        "GET",
        "/v1/conversations/{conversationId}/messages",
        "List a conversation's messages",
        {
          description:
            "Newest page first, oldest to newest within it; pass olderCursor as before for the page before.",
        },
      ),
    )
    .input(ZListMessagesInput)
    .output(z.object({ items: z.array(ZMessage), olderCursor: z.number().nullable() }))
    .query(({ ctx, input }) => listMessages(ctx.db, { accountId: ctx.agent.accountId, ...input })),

  reply: apiKeyProcedure("write")
    .meta(
      route("POST", "/v1/conversations/{conversationId}/messages", "Reply to the customer", {
        description:
          "Sent as the key's owner. Retrying with the same clientMessageId returns the first message instead of sending twice.",
      }),
    )
    .input(ZSendAgentMessageInput)
    .output(ZMessage)
    .mutation(({ ctx, input }) =>
      createAgentMessage(ctx.rt, {
        accountId: ctx.agent.accountId,
        userId: ctx.agent.userId,
        kind: "reply",
        ...input,
      }),
    ),

  note: apiKeyProcedure("write")
    .meta(
      route("POST", "/v1/conversations/{conversationId}/notes", "Add a private note", {
        description: "Seen by the team only, never by the customer.",
      }),
    )
    .input(ZSendAgentMessageInput)
    .output(ZMessage)
    .mutation(({ ctx, input }) =>
      createAgentMessage(ctx.rt, {
        accountId: ctx.agent.accountId,
        userId: ctx.agent.userId,
        kind: "note",
        ...input,
      }),
    ),
});
