import { type DeliverReplyPayload, queueConversationReplyEmail, replyToSend } from "@netia/core";
import { GmailReconnectRequired, gmailThreadOf, sendReplyThroughGmail } from "@netia/gmail";
import type { JobHandler } from "../../define";

export const handleDeliverReply: JobHandler<DeliverReplyPayload> = async (payload, context) => {
  const log = {
    conversation: `conversation:${payload.conversationId}`,
    messageId: payload.messageId,
  };
  if (await gmailThreadOf(context, payload.conversationId)) {
    try {
      const outcome = await sendReplyThroughGmail(context, payload);
      context.logger.info({ ...log, outcome }, "email reply through gmail");
    } catch (error) {
      // Retried with backoff: an admin may reconnect the mailbox meanwhile.
      if (error instanceof GmailReconnectRequired) context.logger.warn(log, error.message);
      throw error;
    }
    return;
  }
  const reply = await replyToSend(context.db, payload);
  if (!reply) return;
  const queued = await queueConversationReplyEmail(
    {
      db: context.db,
      jobs: context.jobs,
      from: context.config.email.from,
      addresses: {
        secretKeyBase: context.config.secretKeyBase,
        inboundDomain: context.config.email.inboundDomain,
      },
    },
    reply,
  );
  context.logger.info({ ...log, outboundEmailId: queued?.id ?? null }, "email reply queued");
};
