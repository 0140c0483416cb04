// Runs one attempt of an ai.reply job: the assistant's reply code with the
// process's database, bus and provider. Without a provider (OPENAI_API_KEY
// unset on the node that runs it) the job fails and is retried, so a worker
// configured with the key can take it.
import { answerCustomerMessage } from "@netia/ai/reply";
import type { AiReplyPayload } from "@netia/core";
import type { JobHandler } from "../../define";

export const handleAiReply: JobHandler<AiReplyPayload> = async (
  payload,
  { db, bus, logger, ai, job, jobs },
) => {
  if (!ai) throw new Error("ai.reply: OPENAI_API_KEY is not set on this node");
  // jobs: the bot's reply, like any message, enqueues its Slack thread's sync.
  await answerCustomerMessage({ db, bus, logger, ai, jobs }, payload, job);
};
