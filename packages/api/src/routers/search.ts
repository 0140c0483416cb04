import { SEARCH_KINDS, search } from "@netia/core";
import { z } from "zod";
import { isoDate, ZText } from "../schemas";
import { agentProcedure, router } from "../trpc";

export const ZSearchInput = z.object({
  q: ZText.trim().min(1).max(200),
  kinds: z.array(z.enum(SEARCH_KINDS)).max(SEARCH_KINDS.length).optional(),
  limit: z.number().int().min(1).max(50).default(20),
});

const hit = {
  id: z.string(),
  /** The customer's or company's name (for a message: its customer's); null when unknown. */
  title: z.string().nullable(),
  /** HTML: the matched text escaped, matches wrapped in <mark>; no other markup. */
  snippet: z.string(),
  rank: z.number(),
};

export const ZSearchResult = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("message"),
    ...hit,
    conversationId: z.string(),
    customerId: z.string(),
    /** A private note, seen by agents only. */
    private: z.boolean(),
    createdAt: isoDate,
  }),
  z.object({ kind: z.literal("customer"), ...hit }),
  z.object({ kind: z.literal("company"), ...hit }),
]);

export const searchRouter = router({
  query: agentProcedure
    .input(ZSearchInput)
    .output(z.array(ZSearchResult))
    .query(({ ctx, input }) =>
      search(ctx.db, {
        accountId: ctx.agent.accountId,
        query: input.q,
        kinds: input.kinds,
        limit: input.limit,
      }),
    ),
});
