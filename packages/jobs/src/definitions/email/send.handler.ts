import type { Config } from "@netia/config";
import { deliverQueuedEmail } from "@netia/core";
import { createMailer, type MailTransport } from "@netia/email";
import type { JobContext, JobHandler } from "../../define";

// One transport per process and configuration (nodemailer's is cheap but not free).
let cached: { config: Config; mailer: MailTransport } | null = null;

function mailerFor({ config, logger }: JobContext): MailTransport {
  if (cached?.config !== config) {
    cached?.mailer.close();
    cached = {
      config,
      mailer: createMailer({
        smtp: config.smtp,
        logger: logger.child({ component: "email" }),
        logBodies: config.env !== "production",
      }),
    };
  }
  return cached.mailer;
}

export const handleSendEmail: JobHandler<{ outboundEmailId: string }> = async (
  payload,
  context,
) => {
  const outcome = await deliverQueuedEmail(
    { db: context.db, mailer: mailerFor(context), from: context.config.email.from },
    {
      id: payload.outboundEmailId,
      lastAttempt: context.job.retryCount >= context.job.retryLimit,
    },
  );
  if (outcome === "skipped" || outcome === "failed") {
    context.logger.warn(
      { outboundEmailId: payload.outboundEmailId },
      outcome === "skipped"
        ? "email not sent (skipped)"
        : "email refused for good by the SMTP server",
    );
  }
};
