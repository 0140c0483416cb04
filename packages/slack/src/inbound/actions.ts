// The Resolve and Reopen buttons on a conversation's Slack header. Their value
// is the conversation's id, which a Slack user can type into any payload they
// forge... but not sign: the request is Slack's, and the conversation must
// still be one of the account that installed this workspace, or nothing
// changes. The header follows the status through the thread job.
import { isAppError, updateConversation } from "@netia/core";
import { z } from "zod";
import { REOPEN_ACTION, RESOLVE_ACTION } from "../outbound/format";
import type { InboundDeps } from "./context";

const ZBlockAction = z.object({
  action_id: z.string(),
  value: z.string().optional(),
});

export const ZBlockActions = z.object({
  type: z.literal("block_actions"),
  user: z.object({ id: z.string(), name: z.string().optional() }).optional(),
  actions: z.array(ZBlockAction).default([]),
});

export async function handleBlockActions(
  deps: InboundDeps,
  accountId: string,
  payload: z.infer<typeof ZBlockActions>,
): Promise<string> {
  const outcomes: string[] = [];
  for (const action of payload.actions) {
    const status =
      action.action_id === RESOLVE_ACTION
        ? "closed"
        : action.action_id === REOPEN_ACTION
          ? "open"
          : null;
    const id = z.uuid().safeParse(action.value);
    if (!status || !id.success) {
      outcomes.push(`ignored: action ${action.action_id}`);
      continue;
    }
    try {
      await updateConversation(deps, { accountId, id: id.data, status });
      deps.logger.info(
        { accountId, slackUser: payload.user?.id, status },
        `slack button set status conversation:${id.data}`,
      );
      outcomes.push(`${status} ${id.data}`);
    } catch (error) {
      // Another account's conversation, or one deleted since: nothing to do.
      if (isAppError(error) && error.code === "NOT_FOUND") {
        outcomes.push("ignored: conversation not found");
        continue;
      }
      throw error;
    }
  }
  return outcomes.join("; ") || "ignored: no action";
}
