import { z } from "zod";
import { dashboardEvents } from "../live";
import { ZText } from "../schemas";
import { apiKeyProcedure, router } from "../trpc";

export const dashboardRouter = router({
  /**
   * Everything that changes in the account's inbox, live: new messages (tracked
   * by seq; a reconnect resumes after `lastEventId`), conversations created and
   * updated, typing, read receipts, and which agents and customers are online.
   * A `resync` event asks the client to reload its lists.
   */
  events: apiKeyProcedure("read")
    .input(z.object({ lastEventId: ZText.max(30).nullish() }).default({}))
    .subscription(({ ctx, input, signal }) => dashboardEvents(ctx.rt, ctx.agent, input, signal)),
});
