// A conversation that a channel other than the widget starts (inbound email,
// Gmail sync, a Slack support channel) inserts its row itself, then stores its
// first message into it. This is what every such start announces, in one
// place: the dashboards' `conversation.created` (through the caller's held bus,
// so after commit) and the `conversation.created` webhook, enqueued on the
// write's transaction so it commits with the conversation or not at all.
// (A widget conversation is announced by createCustomerMessage, which inserts it.)
import type { Db, Tx } from "@netia/db";
import { publish, type WriteDeps } from "./events";
import { enqueueWebhookEvents } from "./webhook-events";

export async function announceConversationStarted(
  deps: Pick<WriteDeps, "bus" | "logger" | "jobs">,
  tx: Db | Tx,
  started: { accountId: string; conversationId: string; customerId: string },
): Promise<void> {
  publish(deps, {
    type: "conversation.created",
    accountId: started.accountId,
    conversationId: started.conversationId,
  });
  await enqueueWebhookEvents(deps.jobs, tx, [{ type: "conversation.created", ...started }]);
}
