// Handing a conversation from the AI assistant to people. Once handed off the
// assistant stays silent in it for good; agents see why in a private note and
// in the handoffs view. Every path (the widget's button, a customer asking, the
// model's tool call, an admin's rule, an agent's reply, a provider that keeps
// failing) ends here, so the rule "the bot stops" lives in one statement.
import { type Db, schema } from "@netia/db";
import { and, eq } from "drizzle-orm";
import type { Visitor } from "./conversations";
import { findConversation } from "./conversations";
import { publish, type WriteDeps } from "./events";
import { createBotMessage } from "./message-writes";
import { enqueueWebhookEvents, webhookJobsFor } from "./webhook-events";

const { conversations } = schema;

export const HANDOFF_REASONS = {
  button: "the customer pressed “Talk to a person”",
  request: "the customer asked for a person",
  tool: "the assistant could not answer from what it knows",
  keyword: "the customer's message matched a handoff keyword",
  bot_replies: "the assistant reached its reply limit for this conversation",
  outside_hours: "the customer wrote outside working hours",
  agent_reply: "an agent replied",
  fallback: "the AI provider kept failing",
  guardrail: "the assistant's answer was withheld by a guardrail",
  ai_quota: "the plan's AI replies for this month are used",
} as const;

export type HandoffReason = keyof typeof HANDOFF_REASONS;

export async function handOff(
  deps: WriteDeps,
  input: {
    accountId: string;
    conversationId: string;
    reason: HandoffReason;
    /** A short summary for the agents who take over (written by the assistant). */
    summary?: string;
    /** For a visitor's request: the conversation must be theirs. */
    visitor?: Pick<Visitor, "inboxId" | "customerId">;
  },
): Promise<{ handedOff: boolean }> {
  if (input.visitor) {
    await findConversation(deps.db, input.accountId, input.conversationId, input.visitor);
  }
  const ids = { accountId: input.accountId, conversationId: input.conversationId };
  const hooks = await webhookJobsFor(deps, input.accountId, ["conversation.updated"]);
  // Only the first handoff counts: the condition on answered_by makes a repeat
  // (a double click, a retried job) change nothing, and send no webhook.
  const move = async (runner: Db) => {
    const [row] = await runner
      .update(conversations)
      .set({
        answeredBy: "people",
        handoffReason: input.reason,
        handedOffAt: new Date(),
        read: false,
        updatedAt: new Date(),
      })
      .where(
        and(
          eq(conversations.accountId, input.accountId),
          eq(conversations.id, input.conversationId),
          eq(conversations.answeredBy, "assistant"),
        ),
      )
      .returning({ id: conversations.id });
    if (row) await enqueueWebhookEvents(hooks, runner, [{ type: "conversation.updated", ...ids }]);
    return row;
  };
  const moved = hooks ? await deps.db.transaction((tx) => move(tx)) : await move(deps.db);
  if (!moved) return { handedOff: false };
  publish(deps, { type: "conversation.updated", ...ids, answeredBy: "people" });
  if (input.reason !== "agent_reply") {
    // The alert agents see in the thread; the idempotency key keeps it single.
    await createBotMessage(deps, {
      ...ids,
      body: `Handed off to the team: ${HANDOFF_REASONS[input.reason]}.${
        input.summary ? `\n\n${input.summary}` : ""
      }`,
      idempotencyKey: `handoff:${input.conversationId}`,
      metadata: { kind: "handoff", reason: input.reason, summary: input.summary ?? null },
      private: true,
    });
  }
  return { handedOff: true };
}
