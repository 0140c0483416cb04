// Gmail mailboxes connected as channels (admins only): the list the settings
// page shows, the Google consent URL that starts a connection (the callback
// route finishes it, see ../gmail-callback.ts), and disconnecting.
import { disconnectGmail, gmailAuthUrl, listGmailConnections } from "@netia/gmail";
import { z } from "zod";
import { ok, ZId, ZOk } from "../schemas";
import { adminProcedure, router } from "../trpc";

const ZGmailConnection = z.object({
  id: z.string(),
  emailAddress: z.string(),
  inboxId: z.string(),
  inboxName: z.string(),
  status: z.enum(["active", "reconnect_required"]),
  lastError: z.string().nullable(),
  lastSyncedAt: z.date().nullable(),
  createdAt: z.date(),
});

export const gmailRouter = router({
  list: adminProcedure
    .output(
      z.object({
        /** Whether this server has Google OAuth credentials (GOOGLE_CLIENT_ID). */
        configured: z.boolean(),
        connections: z.array(ZGmailConnection),
      }),
    )
    .query(async ({ ctx }) => ({
      configured: ctx.rt.config.google !== null,
      connections: await listGmailConnections(ctx.db, ctx.agent.accountId),
    })),

  /** Google's consent screen for connecting a mailbox to the inbox; the browser goes there. */
  start: adminProcedure
    .input(z.object({ inboxId: ZId, loginHint: z.email().max(254).optional() }))
    .output(z.object({ url: z.string() }))
    .mutation(async ({ ctx, input }) => ({
      url: await gmailAuthUrl(
        { db: ctx.db, config: ctx.rt.config },
        { accountId: ctx.agent.accountId, userId: ctx.agent.userId, ...input },
      ),
    })),

  disconnect: adminProcedure
    .input(z.object({ id: ZId }))
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await disconnectGmail(
        { db: ctx.db, config: ctx.rt.config, logger: ctx.rt.logger },
        { accountId: ctx.agent.accountId, connectionId: input.id },
      );
      return ok;
    }),
});
