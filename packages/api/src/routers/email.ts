// The outgoing mail page (admins): every email the account sent or tried to
// send, newest first, with its body unless it holds a secret, and a retry for
// a failed one. Sending itself is the `email.send` job's work.
import {
  countFailedEmails,
  getOutboundEmail,
  listOutboundEmails,
  retryOutboundEmail,
} from "@netia/core";
import { z } from "zod";
import { isoDate, nullableIsoDate, ok, ZCursor, ZId, ZLimit, ZOk } from "../schemas";
import { adminProcedure, router } from "../trpc";

const ZOutboundEmailStatus = z.enum(["queued", "sent", "failed", "skipped"]);

export const ZOutboundEmail = z.object({
  id: z.string(),
  kind: z.string(),
  toAddress: z.string(),
  subject: z.string(),
  status: ZOutboundEmailStatus,
  /** smtp, log (no SMTP configured) or gmail; null until sent. */
  transport: z.string().nullable(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  /** Its body holds a secret (a password reset link) and is never shown. */
  sensitive: z.boolean(),
  conversationId: z.string().nullable(),
  createdAt: isoDate,
  sentAt: nullableIsoDate,
  failedAt: nullableIsoDate,
});

export const ZOutboundEmailDetail = ZOutboundEmail.extend({
  /** Null for a sensitive email. */
  html: z.string().nullable(),
  text: z.string().nullable(),
  replyTo: z.string().nullable(),
  messageIdHeader: z.string(),
});

/** How far back the settings menu counts failed emails. */
const FAILED_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export const emailRouter = router({
  outgoing: adminProcedure
    .input(
      z.object({
        status: ZOutboundEmailStatus.optional(),
        cursor: ZCursor.optional(),
        limit: ZLimit,
      }),
    )
    .output(z.object({ items: z.array(ZOutboundEmail), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) =>
      listOutboundEmails(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),

  outgoingMessage: adminProcedure
    .input(z.object({ id: ZId }))
    .output(ZOutboundEmailDetail)
    .query(({ ctx, input }) =>
      getOutboundEmail(ctx.db, { accountId: ctx.agent.accountId, id: input.id }),
    ),

  /** A failed email goes back to the queue with a new send job. */
  retry: adminProcedure
    .input(z.object({ id: ZId }))
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await retryOutboundEmail(ctx.db, ctx.rt, { accountId: ctx.agent.accountId, id: input.id });
      return ok;
    }),

  /** Emails that failed in the last 7 days (the badge on the settings menu). */
  failedCount: adminProcedure
    .output(z.object({ count: z.number().int() }))
    .query(async ({ ctx }) => ({
      count: await countFailedEmails(ctx.db, {
        accountId: ctx.agent.accountId,
        since: new Date(Date.now() - FAILED_WINDOW_MS),
      }),
    })),
});
