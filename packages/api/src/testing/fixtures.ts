// A fully populated account ("A") and a rival account ("B"), for the tests that
// enumerate every procedure of the app router.
import { randomUUID } from "node:crypto";
import { schema } from "@netia/db";
import type { Runtime } from "@netia/runtime";
import { asc, eq } from "drizzle-orm";
import { appRouter } from "../root";
import { type Client, client, newVisitor, signUpAccount, tokenOfLink, uniqueEmail } from ".";

export async function populatedAccount(rt: Runtime, label: string) {
  const { admin, account, inbox, user } = await signUpAccount(
    rt,
    `${label} Company ${randomUUID()}`,
  );
  const { url } = await admin.team.invite({ email: uniqueEmail(`${label}-agent`), role: "agent" });
  const token = tokenOfLink(url);
  const agent = client(rt);
  const { user: agentUser } = await agent.auth.acceptInvitation({
    token,
    name: `${label} Agent`,
    password: "agent password 1",
  });
  const { invitation } = await admin.team.invite({ email: uniqueEmail(`${label}-pending`) });
  const visitor = await newVisitor(rt, account.id);
  const marker = `secret-${label}-${randomUUID()}`;
  const { conversationId, message } = await visitor.widget.widget.sendMessage({
    body: `customer says ${marker}`,
    clientMessageId: randomUUID(),
  });
  await admin.messages.reply({ conversationId, body: `agent says ${marker}` });
  const tag = await admin.tags.create({ name: `tag-${marker}` });
  await admin.conversations.addTag({ conversationId, tagId: tag.id });
  await admin.customers.update({
    id: visitor.customerId,
    email: `${label.toLowerCase()}-customer@example.com`,
  });
  const note = await admin.notes.create({ customerId: visitor.customerId, body: `note ${marker}` });
  const company = await admin.companies.create({ name: `Company ${marker}` });
  await admin.customers.setCompany({ customerId: visitor.customerId, companyId: company.id });
  const saved = await admin.savedReplies.create({ shortcut: `s${label}`, body: `saved ${marker}` });
  await admin.assistant.updateSettings({ instructions: `instructions ${marker}` });
  const article = await admin.knowledge.create({
    title: `Article ${marker}`,
    body: `kb ${marker}`,
  });
  // API keys of A's admin: one with every scope, one that may only read.
  const { key: apiKey, secret: apiKeySecret } = await admin.apiKeys.create({
    label: `${label} key ${marker}`,
    scopes: ["read", "write", "admin"],
  });
  const { secret: readKeySecret } = await admin.apiKeys.create({
    label: `${label} read key`,
    scopes: ["read"],
  });
  const otherVisitor = await newVisitor(rt, account.id);
  const webhook = await webhookOf(rt, admin, account.id);
  const outboundEmailId = await emailsSettled(rt, account.id);
  // The email sweeps (every minute, in the background) would record alerts and
  // email the customer from A's own writes above while a test compares
  // snapshots; they are tested in email-alerts.test.ts, so they stay quiet here.
  for (const member of [admin, agent]) {
    await member.notifications.updatePreferences({
      emailAssignedMessage: false,
      emailMention: false,
      emailHandoff: false,
    });
  }
  await rt.db
    .update(schema.accounts)
    .set({ customerEmailAfterMinutes: null })
    .where(eq(schema.accounts.id, account.id));
  return {
    admin,
    agent,
    visitor,
    otherVisitor,
    account,
    adminUser: user,
    agentUser,
    inboxId: inbox.id,
    conversationId,
    messageSeq: message.seq,
    customerId: visitor.customerId,
    tagId: tag.id,
    noteId: note.id,
    companyId: company.id,
    savedReplyId: saved.id,
    articleId: article.id,
    invitationId: invitation.id,
    outboundEmailId,
    webhookEndpointId: webhook.endpointId,
    webhookDeliveryId: webhook.deliveryId,
    apiKeyId: apiKey.id,
    apiKeySecret,
    /** Callers authenticated by the admin's API keys: every scope, and read only. */
    adminKey: keyClient(rt, apiKeySecret),
    readKey: keyClient(rt, readKeySecret),
    marker,
    /** Strings that must never appear in what another tenant receives. */
    secrets: [
      account.id,
      inbox.id,
      conversationId,
      visitor.customerId,
      tag.id,
      note.id,
      company.id,
      saved.id,
      article.id,
      invitation.id,
      outboundEmailId,
      webhook.endpointId,
      webhook.deliveryId,
      webhook.secret,
      apiKey.id,
      apiKey.prefix,
      agentUser.id,
      user.id,
      marker,
    ],
  };
}

/**
 * A webhook endpoint at a public address, switched off so nothing is sent to
 * it, with one delivery in its log (written directly: no job runs for it).
 */
async function webhookOf(rt: Runtime, admin: Client, accountId: string) {
  const { endpoint, secret } = await admin.webhooks.create({
    url: "https://93.184.215.14/netia-hooks",
    eventTypes: ["message.created"],
  });
  await admin.webhooks.update({ id: endpoint.id, enabled: false });
  const [delivery] = await rt.db
    .insert(schema.webhookDeliveries)
    .values({
      accountId,
      endpointId: endpoint.id,
      eventId: `evt_${randomUUID()}`,
      eventType: "message.created",
      webhookId: `msg_${randomUUID()}`,
      payload: {},
      status: "delivered",
    })
    .returning({ id: schema.webhookDeliveries.id });
  if (!delivery) throw new Error("delivery insert returned nothing");
  return { endpointId: endpoint.id, deliveryId: delivery.id, secret };
}

/**
 * Waits until the account's queued emails (its invitations) are sent, so
 * before/after snapshots do not see the send job change them; returns the id
 * of one of them.
 */
async function emailsSettled(rt: Runtime, accountId: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const rows = await rt.db
      .select({ id: schema.outboundEmails.id, status: schema.outboundEmails.status })
      .from(schema.outboundEmails)
      .where(eq(schema.outboundEmails.accountId, accountId));
    const first = rows[0];
    if (first && rows.every((row) => row.status !== "queued")) return first.id;
    if (Date.now() > deadline) throw new Error("the account's emails were not sent in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export type Fixture = Awaited<ReturnType<typeof populatedAccount>>;

/** The scope an API key needs for `path`, as the procedure declares it (none: keys are refused). */
export function apiKeyScopeOf(path: string): string | undefined {
  const procedure = appRouter._def.procedures[path as keyof typeof appRouter._def.procedures];
  return (procedure as unknown as { _def: { meta?: { apiKey?: string } } })._def.meta?.apiKey;
}

/** A caller that authenticates with an API key, as a service using the SDK does. */
export function keyClient(rt: Runtime, secret: string): Client {
  return client(rt, { headers: { authorization: `Bearer ${secret}` } });
}

/** Every row that belongs to an account, in a stable order, for before/after comparisons. */
export async function snapshotAccount(rt: Runtime, accountId: string) {
  const tables = {
    accounts: schema.accounts,
    memberships: schema.memberships,
    invitations: schema.invitations,
    inboxes: schema.inboxes,
    widgetSettings: schema.widgetSettings,
    customers: schema.customers,
    companies: schema.companies,
    customerNotes: schema.customerNotes,
    conversations: schema.conversations,
    messages: schema.messages,
    tags: schema.tags,
    conversationTags: schema.conversationTags,
    customerTags: schema.customerTags,
    savedReplies: schema.savedReplies,
    assistantSettings: schema.assistantSettings,
    knowledgeArticles: schema.knowledgeArticles,
    knowledgePassages: schema.knowledgePassages,
    assistantRuns: schema.assistantRuns,
    mentions: schema.mentions,
    outboundEmails: schema.outboundEmails,
    inboundEmails: schema.inboundEmails,
    emailAlerts: schema.emailAlerts,
    gmailConnections: schema.gmailConnections,
    gmailThreads: schema.gmailThreads,
    gmailMessages: schema.gmailMessages,
    webhookEndpoints: schema.webhookEndpoints,
    webhookDeliveries: schema.webhookDeliveries,
    slackSupportChannels: schema.slackSupportChannels,
    apiKeys: schema.apiKeys,
  };
  const out: Record<string, unknown[]> = {};
  for (const [name, table] of Object.entries(tables)) {
    const accountColumn = "accountId" in table ? table.accountId : schema.accounts.id;
    out[name] = await rt.db
      .select()
      .from(table)
      .where(eq(accountColumn, accountId))
      .orderBy(asc(accountColumn));
  }
  // Calling with a key marks it used: that is not a change to the account's data.
  for (const row of out.apiKeys as { lastUsedAt?: unknown }[]) delete row.lastUsedAt;
  for (const rows of Object.values(out)) {
    rows.sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
  }
  return out;
}

/**
 * For every procedure: an input aimed at account A's data. A new procedure
 * without an entry fails the enumeration tests, so none is left unchecked.
 */
export function inputsAgainst(a: Fixture): Record<string, unknown> {
  const clientMessageId = randomUUID();
  return {
    "webhooks.list": undefined,
    "webhooks.create": { url: "https://93.184.215.14/other", eventTypes: ["message.created"] },
    "webhooks.update": { id: a.webhookEndpointId, url: "https://93.184.215.14/changed" },
    "webhooks.rotateSecret": { id: a.webhookEndpointId },
    "webhooks.delete": { id: a.webhookEndpointId },
    "webhooks.deliveries": { endpointId: a.webhookEndpointId },
    "webhooks.redeliver": { deliveryId: a.webhookDeliveryId },
    "webhooks.sendTest": { endpointId: a.webhookEndpointId },
    "gmail.list": undefined,
    "apiKeys.list": undefined,
    "apiKeys.create": { label: "mine", scopes: ["read"] },
    "apiKeys.revoke": { id: a.apiKeyId },
    "gmail.start": { inboxId: a.inboxId },
    "gmail.disconnect": { id: randomUUID() },
    "slack.status": undefined,
    "slack.channels": undefined,
    "slack.chooseChannel": { channelId: "C0NETIA1" },
    "slack.update": { mode: "alerts", notePrefix: "!!" },
    "slack.disconnect": undefined,
    "slack.failedPosts": undefined,
    "slack.retryThread": { conversationId: a.conversationId },
    "auth.signUp": {
      name: "x",
      email: uniqueEmail("isolation"),
      password: "long enough",
      companyName: "x",
    },
    "auth.logIn": { email: "nobody@example.com", password: "whatever pw" },
    "auth.logOut": undefined,
    "auth.logOutOtherSessions": undefined,
    "auth.signUpOpen": undefined,
    "auth.me": undefined,
    "auth.requestPasswordReset": { email: "nobody@example.com" },
    "auth.resetPassword": { token: "not-a-token", newPassword: "new password 1" },
    "auth.getInvitation": { token: "not-a-token" },
    "auth.acceptInvitation": { token: "not-a-token", name: "x", password: "long enough" },
    "account.get": undefined,
    "account.update": { companyName: "Renamed" },
    "profile.get": undefined,
    "profile.update": { name: "Renamed" },
    "profile.changePassword": {
      currentPassword: "not the password",
      newPassword: "new password 1",
    },
    "team.list": undefined,
    "team.invite": { email: uniqueEmail("isolation"), role: "agent" },
    "team.listInvitations": undefined,
    "team.resendInvitation": { id: a.invitationId },
    "team.revokeInvitation": { id: a.invitationId },
    "team.updateRole": { userId: a.agentUser.id, role: "admin" },
    "team.setDisabled": { userId: a.agentUser.id, disabled: true },
    "inboxes.list": undefined,
    "inboxes.get": { id: a.inboxId },
    "inboxes.create": { name: "Another" },
    "inboxes.update": { id: a.inboxId, name: "hijacked" },
    "inboxes.rotateIdentitySecret": { id: a.inboxId },
    "inboxes.getWidgetSettings": { inboxId: a.inboxId },
    "inboxes.updateWidgetSettings": { inboxId: a.inboxId, settings: { title: "hijacked" } },
    "customers.list": { query: "customer" },
    "customers.get": { id: a.customerId },
    "customers.update": { id: a.customerId, name: "hijacked" },
    "customers.addTag": { customerId: a.customerId, tagId: a.tagId },
    "customers.removeTag": { customerId: a.customerId, tagId: a.tagId },
    "customers.setCompany": { customerId: a.customerId, companyId: null },
    "customers.merge": { keepId: a.customerId, removeId: a.otherVisitor.customerId },
    "companies.list": { query: "company" },
    "companies.get": { id: a.companyId },
    "companies.create": { name: "Mine", website: "mine.example" },
    "companies.update": { id: a.companyId, name: "hijacked" },
    "companies.delete": { id: a.companyId },
    "search.query": { q: a.marker },
    "conversations.list": { view: "mentions", inboxId: a.inboxId, tagId: a.tagId },
    "onboarding.status": undefined,
    "reports.conversationsPerDay": { from: "2026-01-01", to: "2026-12-31" },
    "reports.messagesPerDay": { from: "2026-01-01", to: "2026-12-31" },
    "reports.heatmap": { from: "2026-01-01", to: "2026-12-31" },
    "reports.agents": { from: "2026-01-01", to: "2026-12-31" },
    "reports.inboxes": { from: "2026-01-01", to: "2026-12-31" },
    "reports.responseTimes": { from: "2026-01-01", to: "2026-12-31" },
    "conversations.get": { id: a.conversationId },
    "conversations.update": { id: a.conversationId, status: "closed", assigneeId: a.agentUser.id },
    "conversations.snooze": {
      id: a.conversationId,
      until: new Date(Date.now() + 3_600_000).toISOString(),
    },
    "conversations.markRead": { id: a.conversationId, read: false },
    "conversations.addTag": { conversationId: a.conversationId, tagId: a.tagId },
    "conversations.removeTag": { conversationId: a.conversationId, tagId: a.tagId },
    "conversations.sendTranscript": { conversationId: a.conversationId, to: "thief@example.com" },
    "messages.list": { conversationId: a.conversationId },
    "messages.reply": {
      conversationId: a.conversationId,
      body: "@intruder",
      mentionedUserIds: [a.agentUser.id],
    },
    "messages.note": { conversationId: a.conversationId, body: "intruder" },
    "email.outgoing": { status: "sent" },
    "email.outgoingMessage": { id: a.outboundEmailId },
    "email.retry": { id: a.outboundEmailId },
    "email.failedCount": undefined,
    "slackSupport.list": undefined,
    "slackSupport.connect": { channelId: "C0SUPPORT1", companyId: a.companyId, inboxId: a.inboxId },
    "slackSupport.disconnect": { id: randomUUID() },
    "notifications.preferences": undefined,
    "notifications.updatePreferences": { sound: false },
    "tags.list": undefined,
    "tags.create": { name: "mine" },
    "tags.update": { id: a.tagId, name: "hijacked" },
    "tags.delete": { id: a.tagId },
    "notes.list": { customerId: a.customerId },
    "notes.create": { customerId: a.customerId, body: "intruder" },
    "notes.delete": { id: a.noteId },
    "savedReplies.list": undefined,
    "savedReplies.create": { shortcut: "mine", body: "x" },
    "savedReplies.update": { id: a.savedReplyId, body: "hijacked" },
    "savedReplies.delete": { id: a.savedReplyId },
    "widget.config": { accountToken: a.account.id },
    "widget.identify": { accountToken: a.account.id, visitorId: `visitor-${randomUUID()}` },
    "widget.conversations": undefined,
    "widget.sendMessage": { conversationId: a.conversationId, body: "intruder", clientMessageId },
    "widget.listMessages": { conversationId: a.conversationId },
    "widget.markSeen": { conversationId: a.conversationId, upToSeq: a.messageSeq + 100 },
    "widget.typing": { conversationId: a.conversationId },
    "widget.requestHuman": { conversationId: a.conversationId },
    "widget.requestTranscript": { conversationId: a.conversationId, email: "thief@example.com" },
    "assistant.status": undefined,
    "assistant.getSettings": undefined,
    "assistant.updateSettings": { instructions: "hijacked" },
    "assistant.setInboxEnabled": { inboxId: a.inboxId, enabled: false },
    "assistant.listInboxes": undefined,
    "assistant.usage": { from: "2026-01-01", to: "2026-01-31" },
    "assistant.handoffs": { filter: "all" },
    "assistant.help": { conversationId: a.conversationId, kind: "summary" },
    "knowledge.list": { query: "Article" },
    "knowledge.get": { id: a.articleId },
    "knowledge.create": { title: "mine", body: "mine" },
    "knowledge.update": { id: a.articleId, title: "hijacked", body: "hijacked" },
    "knowledge.setPublished": { id: a.articleId, published: false },
    "knowledge.delete": { id: a.articleId },
    "knowledge.importMarkdown": { files: [{ name: "mine.md", text: "# Mine" }] },
    "knowledge.previewPassages": { title: "mine", body: "mine" },
    "widget.events": { conversationId: a.conversationId, lastEventId: "0" },
    "conversations.counts": undefined,
    "conversations.typing": { conversationId: a.conversationId },
    "dashboard.events": { lastEventId: "0" },
  };
}

/**
 * Calls `path` (e.g. "conversations.get") on a caller with `input`. For a
 * subscription, returns what it yields within `subscriptionWindowMs`, so its
 * backlog and first live events are checked like any other answer.
 */
export async function callPath(
  caller: Client,
  path: string,
  input: unknown,
  subscriptionWindowMs = 300,
): Promise<unknown> {
  const [ns, name] = path.split(".") as [string, string];
  const fn = (
    caller as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>
  )[ns]?.[name];
  if (!fn) throw new Error(`no procedure ${path}`);
  const result = await fn(input);
  if (!isAsyncIterable(result)) return result;
  return collect(result, subscriptionWindowMs);
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return !!value && typeof value === "object" && Symbol.asyncIterator in value;
}

/** Everything an async iterable yields within `ms`; then it is closed. */
export async function collect(iterable: AsyncIterable<unknown>, ms: number): Promise<unknown[]> {
  const iterator = iterable[Symbol.asyncIterator]();
  const seen: unknown[] = [];
  const deadline = Date.now() + ms;
  try {
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), left);
      });
      const next = await Promise.race([iterator.next(), timeout]);
      clearTimeout(timer);
      if (next === "timeout" || next.done) break;
      seen.push(next.value);
    }
  } finally {
    void iterator.return?.();
  }
  return seen;
}
