import {
  conversationChannels,
  conversationViews,
  countConversations,
  getConversation,
  listConversations,
  markConversationRead,
  reportTyping,
  sendTranscript,
  snoozeConversation,
  tagConversation,
  untagConversation,
  updateConversation,
} from "@netia/core";
import { z } from "zod";
import { restRoutes } from "../rest-routes";
import {
  ok,
  ZConversation,
  ZCursor,
  ZCustomer,
  ZDateTime,
  ZEmail,
  ZId,
  ZLimit,
  ZOk,
  ZPreview,
  ZTag,
  ZUserId,
} from "../schemas";
import { agentProcedure, apiKeyProcedure, router } from "../trpc";

export const ZListConversationsInput = z.object({
  view: z.enum(conversationViews).default("all"),
  inboxId: ZId.optional(),
  tagId: ZId.optional(),
  assigneeId: ZUserId.optional(),
  channel: z.enum(conversationChannels).optional(),
  cursor: ZCursor.optional(),
  limit: ZLimit,
});

export const ZConversationSummary = ZConversation.pick({
  id: true,
  status: true,
  priority: true,
  channel: true,
  subject: true,
  read: true,
  assigneeId: true,
  inboxId: true,
  snoozedUntil: true,
  lastActivityAt: true,
  createdAt: true,
}).extend({
  customer: z.object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable() }),
  lastMessage: ZPreview,
  tags: z.array(ZTag),
});

export const ZUpdateConversationInput = z.object({
  id: ZId,
  status: z.enum(["open", "closed"]).optional(),
  priority: z.enum(["normal", "high"]).optional(),
  assigneeId: ZUserId.nullable().optional(),
});

export const ZSnoozeConversationInput = z.object({ id: ZId, until: ZDateTime });

export const ZConversationCounts = z.object({
  all: z.number(),
  mine: z.number(),
  unassigned: z.number(),
  unread: z.number(),
  priority: z.number(),
  snoozed: z.number(),
  closed: z.number(),
  /** Conversations in which the agent has an unread mention. */
  mentions: z.number(),
  /** Open conversations per inbox; an inbox with none is absent. */
  inboxes: z.array(z.object({ inboxId: z.string(), open: z.number() })),
});

export const ZSendTranscriptInput = z.object({
  conversationId: ZId,
  /** Where to send it; the customer's email when left out. */
  to: ZEmail.optional(),
});

export const ZTranscriptSent = z.object({
  to: z.string(),
  /** False when the same transcript went to the same address before (nothing new to send). */
  queued: z.boolean(),
});

const ZConversationTagInput = z.object({ conversationId: ZId, tagId: ZId });

const route = restRoutes("Conversations");

export const conversationsRouter = router({
  /** Emails the conversation's public messages (never notes) to the customer or `to`. */
  sendTranscript: agentProcedure
    .input(ZSendTranscriptInput)
    .output(ZTranscriptSent)
    .mutation(({ ctx, input }) =>
      sendTranscript(
        { db: ctx.db, jobs: ctx.rt.jobs, settings: ctx.rt.config },
        { accountId: ctx.agent.accountId, userId: ctx.agent.userId, ...input },
      ),
    ),

  list: apiKeyProcedure("read")
    .meta(
      route("GET", "/v1/conversations", "List conversations", {
        description:
          "The inbox's views: all (every open conversation), mine, unassigned, unread, priority, snoozed, closed, mentions. " +
          "Newest activity first, 25 to a page by default; pass the answer's nextCursor as cursor for the next page.",
      }),
    )
    .input(ZListConversationsInput)
    .output(z.object({ items: z.array(ZConversationSummary), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) =>
      listConversations(ctx.db, {
        accountId: ctx.agent.accountId,
        userId: ctx.agent.userId,
        ...input,
      }),
    ),

  get: apiKeyProcedure("read")
    .meta(route("GET", "/v1/conversations/{id}", "Get a conversation with its customer and tags"))
    .input(z.object({ id: ZId }))
    .output(
      ZConversation.extend({
        customer: ZCustomer,
        tags: z.array(ZTag),
        /** The asking agent's unread mentions in the conversation. */
        unreadMentions: z.number(),
      }),
    )
    .query(({ ctx, input }) =>
      getConversation(ctx.db, {
        accountId: ctx.agent.accountId,
        userId: ctx.agent.userId,
        ...input,
      }),
    ),

  update: apiKeyProcedure("write")
    .meta(
      route(
        "PATCH",
        "/v1/conversations/{id}",
        "Close, reopen, prioritise or assign a conversation",
        {
          description: "assigneeId is a team member's id (GET /v1/team/members); null unassigns.",
        },
      ),
    )
    .input(ZUpdateConversationInput)
    .output(ZConversation)
    .mutation(({ ctx, input }) =>
      updateConversation(ctx.rt, { accountId: ctx.agent.accountId, ...input }),
    ),

  /** Until `until`, then it reopens by itself (a customer message reopens it sooner). */
  snooze: apiKeyProcedure("write")
    .meta(route("POST", "/v1/conversations/{id}/snooze", "Snooze a conversation until a time"))
    .input(ZSnoozeConversationInput)
    .output(ZConversation)
    .mutation(({ ctx, input }) =>
      snoozeConversation(ctx.rt, { accountId: ctx.agent.accountId, ...input }),
    ),

  markRead: agentProcedure
    .input(z.object({ id: ZId, read: z.boolean().default(true) }))
    .output(ZConversation)
    .mutation(({ ctx, input }) =>
      markConversationRead(ctx.rt, {
        accountId: ctx.agent.accountId,
        userId: ctx.agent.userId,
        ...input,
      }),
    ),

  addTag: apiKeyProcedure("write")
    .meta(route("POST", "/v1/conversations/{conversationId}/tags", "Tag a conversation"))
    .input(ZConversationTagInput)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await tagConversation(ctx.rt, { accountId: ctx.agent.accountId, ...input });
      return ok;
    }),

  removeTag: apiKeyProcedure("write")
    .meta(
      route("DELETE", "/v1/conversations/{conversationId}/tags/{tagId}", "Untag a conversation"),
    )
    .input(ZConversationTagInput)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await untagConversation(ctx.rt, { accountId: ctx.agent.accountId, ...input });
      return ok;
    }),

  counts: apiKeyProcedure("read")
    .meta(route("GET", "/v1/conversation-counts", "Count conversations per view and inbox"))
    .output(ZConversationCounts)
    .query(({ ctx }) =>
      countConversations(ctx.db, { accountId: ctx.agent.accountId, userId: ctx.agent.userId }),
    ),

  /** The agent is typing a reply (or, with `private`, a note only agents see). */
  typing: agentProcedure
    .input(z.object({ conversationId: ZId, private: z.boolean().default(false) }))
    .output(z.object({ published: z.boolean() }))
    .mutation(({ ctx, input }) =>
      reportTyping(ctx.rt, {
        accountId: ctx.agent.accountId,
        conversationId: input.conversationId,
        private: input.private,
        sender: { type: "user", id: ctx.agent.userId, name: ctx.agent.name },
      }),
    ),
});
