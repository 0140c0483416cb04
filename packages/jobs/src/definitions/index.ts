// Every job kind Netia runs, listed once. Add a definition here and
// `enqueue(tx, "<name>", payload)` is type-checked against its payload schema.
import { jobRegistry } from "../define";
import { embedArticle } from "./ai/embed-article";
import { aiReply } from "./ai/reply";
import { billingReconcile } from "./billing/reconcile";
import { wakeSnoozed } from "./conversations/wake-snoozed";
import { wakeSnoozedSweep } from "./conversations/wake-snoozed-sweep";
import { agentAlerts } from "./email/agent-alerts";
import { emailAlertsSweep } from "./email/alerts-sweep";
import { customerRepliesSweep } from "./email/customer-replies";
import { deliverReply } from "./email/deliver-reply";
import { sendEmail } from "./email/send";
import { gmailSync } from "./gmail/sync";
import { gmailSyncSweep } from "./gmail/sync-sweep";
import { expireUploads } from "./maintenance/expire-uploads";
import { pruneRecords } from "./maintenance/prune-records";
import { slackHandleEvent } from "./slack/handle-event";
import { slackSyncThread } from "./slack/sync-thread";
import { webhooksDeliver } from "./webhooks/deliver";
import { webhooksFanOut } from "./webhooks/fan-out";

export const jobDefinitions = jobRegistry(
  expireUploads,
  pruneRecords,
  wakeSnoozed,
  wakeSnoozedSweep,
  aiReply,
  embedArticle,
  sendEmail,
  emailAlertsSweep,
  agentAlerts,
  customerRepliesSweep,
  deliverReply,
  gmailSync,
  gmailSyncSweep,
  webhooksFanOut,
  webhooksDeliver,
  slackHandleEvent,
  slackSyncThread,
  billingReconcile,
);

export type NetiaJobs = typeof jobDefinitions;
