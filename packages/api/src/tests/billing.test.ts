// Billing from end to end: the real router and webhook endpoint, the stripe
// SDK over HTTP against the fake Stripe, events signed with the SDK's own
// generateTestHeaderString and delivered over HTTP. An account goes through
// its trial, Checkout, a failed payment, its grace period, the downgrade and
// payment again, with its limits checked at each step; bad signatures,
// replays and events out of order change nothing wrongly; each limit is
// refused by the server itself.

import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAiProvider } from "@netia/ai";
import { HANDOFF_MESSAGE } from "@netia/ai/reply";
import { setBillingExempt } from "@netia/core";
import { schema } from "@netia/db";
import { closeRuntime, type Runtime } from "@netia/runtime";
import { type FakeOpenAI, startFakeOpenAI } from "@netia/testkit/openai";
import {
  type FakeStripe,
  type StripeEvent,
  sendStripeEvent,
  startFakeStripe,
} from "@netia/testkit/stripe";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleStripeWebhook } from "../stripe-webhook";
import {
  type Client,
  client,
  createTestRuntime,
  newVisitor,
  signUpAccount,
  testConfig,
  tokenOfLink,
  uniqueEmail,
} from "../testing";

const SECRET_KEY = "sk_test_netia";
const WEBHOOK_SECRET = "whsec_netia_test";
const PRICES = { team: "price_team_test", business: "price_business_test" };

let stripe: FakeStripe;
let openai: FakeOpenAI;
let rt: Runtime;
let webhookServer: Server;
let webhookUrl: string;

beforeAll(async () => {
  stripe = await startFakeStripe({
    secretKey: SECRET_KEY,
    prices: [
      { id: PRICES.team, unitAmount: 2900 },
      { id: PRICES.business, unitAmount: 9900 },
    ],
  });
  openai = await startFakeOpenAI({ apiKey: "sk-test" });
  const config = testConfig({
    PAPERCUPS_STRIPE_SECRET: SECRET_KEY,
    REACT_APP_STRIPE_PUBLIC_KEY: "pk_test_netia",
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_PRICE_TEAM: PRICES.team,
    STRIPE_PRICE_BUSINESS: PRICES.business,
    STRIPE_API_URL: stripe.url,
    BILLING_TRIAL_DAYS: "14",
    BILLING_GRACE_DAYS: "7",
  });
  rt = await createTestRuntime({
    config,
    ai: createAiProvider({
      ...config.llm,
      apiKey: "sk-test",
      baseUrl: openai.url,
      maxRetries: 0,
      timeoutMs: 10_000,
    }),
    jobs: {
      pollingIntervalSeconds: 0.5,
      retry: { "billing.reconcile": { retryLimit: 3, retryDelay: 1, retryDelayMax: 1 } },
    },
  });
  // The webhook endpoint over real HTTP, as the Next.js route serves it.
  webhookServer = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: Buffer.concat(chunks),
    });
    const { status, body } = await handleStripeWebhook(rt, request);
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => webhookServer.listen(0, "127.0.0.1", r));
  webhookUrl = `http://127.0.0.1:${(webhookServer.address() as AddressInfo).port}/api/webhooks/stripe`;
});
afterAll(async () => {
  webhookServer?.close();
  await closeRuntime(rt);
  await stripe.close();
  await openai.close();
});

/**
 * Delivers events as Stripe would, one after the other, then waits for the
 * reconcile jobs they queued to finish; returns the endpoint's answers.
 */
async function deliver(events: StripeEvent[], options: { settle?: boolean } = {}) {
  const answers = [];
  for (const event of events) {
    const response = await sendStripeEvent(webhookUrl, WEBHOOK_SECRET, event);
    answers.push({
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
    });
  }
  if (options.settle !== false)
    await until(reconcileJobs, (jobs) => jobs.every((j) => FINISHED.has(j.state)));
  return answers;
}

const FINISHED = new Set(["completed", "failed", "cancelled"]);

/** The billing.reconcile jobs (the queue's own table), optionally of one account. */
async function reconcileJobs(accountId?: string) {
  const result = (await rt.db.execute(
    sql`select id, state from pgboss.job where name = 'billing.reconcile' and (${accountId ?? null}::text is null or data->>'accountId' = ${accountId ?? null})`,
  )) as unknown as { rows: { id: string; state: string }[] };
  return result.rows;
}

async function billingRow(accountId: string) {
  const [row] = await rt.db
    .select()
    .from(schema.billingAccounts)
    .where(eq(schema.billingAccounts.accountId, accountId));
  return row;
}

/** Time passes for the account: its grace period (or trial) started `days` ago. */
async function pastDueFor(accountId: string, days: number) {
  await rt.db
    .update(schema.billingAccounts)
    .set({ pastDueSince: new Date(Date.now() - days * 24 * 60 * 60 * 1000) })
    .where(eq(schema.billingAccounts.accountId, accountId));
}

/** The trial is over (the account's billing row is made on first look, as the page does). */
async function endTrial(accountId: string) {
  await rt.db
    .insert(schema.billingAccounts)
    .values({ accountId, trialEndsAt: new Date() })
    .onConflictDoNothing();
  await rt.db
    .update(schema.billingAccounts)
    .set({ trialEndsAt: new Date(Date.now() - 1000) })
    .where(eq(schema.billingAccounts.accountId, accountId));
}

const usageOf = async (admin: Client, limit: string) =>
  (await admin.billing.status()).usage.find((u) => u.limit === limit);

const refused = (message: RegExp) => ({
  code: "FORBIDDEN",
  message: expect.stringMatching(message),
});

describe("billing on", () => {
  it("goes trial → checkout → active → payment failed → grace → downgraded → paid again, with the limits at each step", async () => {
    const { admin, account } = await signUpAccount(rt, "Acme");

    // Trial: the Team plan's limits, no Stripe customer yet.
    const trial = await admin.billing.status();
    expect(trial).toMatchObject({
      state: "trial",
      plan: "team",
      trialDaysLeft: 14,
      hasCustomer: false,
    });
    expect(trial.nextInvoice).toBeNull();
    expect(await usageOf(admin, "inboxes")).toMatchObject({ used: 1, allowed: 5 });
    await admin.inboxes.create({ name: "Sales" });
    await admin.inboxes.create({ name: "Support" });
    expect(await usageOf(admin, "inboxes")).toMatchObject({ used: 3, allowed: 5 });

    // Checkout: a customer made once, with the account's id, and the chosen price.
    const { url } = await admin.billing.checkout({ plan: "business" });
    expect(url).toMatch(new RegExp(`^${stripe.url}/checkout/cs_test_`));
    const session = stripe.sessions.get(url.split("/").pop() as string);
    expect(session?.params).toMatchObject({
      "line_items[0][price]": PRICES.business,
      client_reference_id: account.id,
      "subscription_data[metadata][accountId]": account.id,
    });
    expect(stripe.customers.get(session?.customer as string)?.metadata).toEqual({
      accountId: account.id,
    });
    // Paying is Stripe's business: nothing changes until its events arrive.
    expect((await admin.billing.status()).state).toBe("trial");
    const answers = await deliver(stripe.completeCheckout(session?.id as string));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const active = await admin.billing.status();
    // Upgrading during the trial keeps it: Stripe charges when it ends.
    expect(active).toMatchObject({ state: "active", plan: "business", status: "trialing" });
    const trialEnd = Math.floor(new Date(trial.trialEndsAt).getTime() / 1000);
    expect(session?.params["subscription_data[trial_end]"]).toBe(String(trialEnd));
    expect(active.nextInvoice).toMatchObject({
      amountDue: 9900,
      currency: "usd",
      date: new Date(trialEnd * 1000).toISOString(),
    });
    expect(await usageOf(admin, "seats")).toMatchObject({ used: 1, allowed: 50 });
    const subscriptionId = session?.subscription as string;
    expect((await billingRow(account.id))?.stripeSubscriptionId).toBe(subscriptionId);
    // A second Checkout while subscribed is refused: the portal changes plans.
    await expect(admin.billing.checkout({ plan: "team" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const { url: portal } = await admin.billing.portal();
    expect(portal).toMatch(new RegExp(`^${stripe.url}/portal/`));

    // The renewal fails: past due, in grace, the paid limits still hold.
    await deliver(stripe.failPayment(subscriptionId));
    const grace = await admin.billing.status();
    expect(grace).toMatchObject({ state: "grace", plan: "business", status: "past_due" });
    const since = (await billingRow(account.id))?.pastDueSince as Date;
    expect(new Date(grace.graceEndsAt as string).getTime() - since.getTime()).toBe(7 * 86_400_000);
    await admin.inboxes.create({ name: "Billing" });
    await admin.team.invite({ email: uniqueEmail("grace") });
    // Stripe retries the charge and it fails again: the grace period does not restart.
    await deliver(stripe.failPayment(subscriptionId));
    expect((await billingRow(account.id))?.pastDueSince).toEqual(since);

    // Eight days later: the Starter plan's limits, and every inbox still there.
    await pastDueFor(account.id, 8);
    const downgraded = await admin.billing.status();
    expect(downgraded).toMatchObject({
      state: "downgraded",
      plan: "starter",
      subscribedPlan: "business",
    });
    expect(await usageOf(admin, "inboxes")).toMatchObject({ used: 4, allowed: 1 });
    await expect(admin.inboxes.create({ name: "More" })).rejects.toMatchObject(
      refused(/Starter plan allows 1 inbox \(your payment is overdue/),
    );
    await expect(admin.team.invite({ email: uniqueEmail("late") })).rejects.toMatchObject(
      refused(/Starter plan has 2 seats/),
    );
    expect(await admin.inboxes.list()).toHaveLength(4);

    // Paid again: the Business plan's limits are back at once.
    await deliver(stripe.payInvoice(subscriptionId));
    const paid = await admin.billing.status();
    expect(paid).toMatchObject({ state: "active", plan: "business", graceEndsAt: null });
    expect((await billingRow(account.id))?.pastDueSince).toBeNull();
    await admin.inboxes.create({ name: "More" });
    await admin.team.invite({ email: uniqueEmail("welcome") });

    // Cancelled: the free plan once the trial is over, the data kept.
    await deliver(stripe.cancel(subscriptionId));
    await endTrial(account.id);
    expect(await admin.billing.status()).toMatchObject({
      state: "free",
      plan: "starter",
      nextInvoice: null,
    });
    // Subscribing again after the trial: charged at once, no trial.
    const { url: again } = await admin.billing.checkout({ plan: "team" });
    const second = stripe.sessions.get(again.split("/").pop() as string);
    expect(second?.customer).toBe(session?.customer);
    expect(second?.params).not.toHaveProperty("subscription_data[trial_end]");
    expect(await admin.inboxes.list()).toHaveLength(5);
  });

  it("refuses a bad signature, does a replayed event once, and converges whatever the order of events", async () => {
    const { admin, account } = await signUpAccount(rt, "Order");
    const { url } = await admin.billing.checkout({ plan: "team" });
    const sessionId = url.split("/").pop() as string;
    const [completed, created, paidEvent] = stripe.completeCheckout(sessionId);
    if (!completed || !created || !paidEvent) throw new Error("no events");

    // Signed with another secret, or not signed: 400 and nothing stored.
    const forged = await sendStripeEvent(webhookUrl, "whsec_someone_else", completed);
    expect(forged.status).toBe(400);
    const unsigned = await fetch(webhookUrl, { method: "POST", body: JSON.stringify(completed) });
    expect(unsigned.status).toBe(400);
    // A valid signature over other bytes than those sent fails too.
    const tampered = await sendStripeEvent(webhookUrl, WEBHOOK_SECRET, completed, {
      body: JSON.stringify({ ...completed, type: "customer.subscription.deleted" }),
    });
    expect(tampered.status).toBe(400);
    const events = await rt.db
      .select()
      .from(schema.stripeEvents)
      .where(eq(schema.stripeEvents.id, completed.id));
    expect(events).toEqual([]);
    expect((await admin.billing.status()).state).toBe("trial");

    // Out of order: the invoice first, the Checkout last. Each reads Stripe, so the first already tells.
    await deliver([paidEvent]);
    expect(await admin.billing.status()).toMatchObject({ state: "active", plan: "team" });
    await deliver([created, completed]);
    expect(await admin.billing.status()).toMatchObject({ state: "active", plan: "team" });

    // A failure, then its payment, delivered the other way round: active, not past due.
    const subscriptionId = stripe.sessions.get(sessionId)?.subscription as string;
    const failed = stripe.failPayment(subscriptionId);
    const recovered = stripe.payInvoice(subscriptionId);
    await deliver(recovered);
    await deliver(failed);
    expect(await admin.billing.status()).toMatchObject({ state: "active", status: "active" });
    expect((await billingRow(account.id))?.pastDueSince).toBeNull();

    // A replay of an event already handled is acknowledged and does nothing.
    const before = await billingRow(account.id);
    const [replay] = await deliver([failed[0] as StripeEvent]);
    expect(replay).toEqual({ status: 200, body: { received: true, duplicate: true } });
    expect(await billingRow(account.id)).toEqual(before);
    const stored = await rt.db
      .select()
      .from(schema.stripeEvents)
      .where(eq(schema.stripeEvents.accountId, account.id));
    expect(stored).toHaveLength(7);
    expect(new Set(stored.map((e) => e.id)).size).toBe(7);

    // An event about a customer no account has is acknowledged and ignored.
    const stranger = stripe.event("customer.subscription.updated", {
      id: "sub_x",
      customer: "cus_unknown",
    });
    stripe.customers.set("cus_unknown", {
      id: "cus_unknown",
      email: null,
      name: null,
      metadata: {},
    });
    expect((await deliver([stranger]))[0]).toEqual({
      status: 200,
      body: { received: true, ignored: true },
    });
  });

  it("stores the newer answer when two events are handled at once and the older answer arrives last", async () => {
    const { admin, account } = await signUpAccount(rt, "Race");
    const { url } = await admin.billing.checkout({ plan: "team" });
    const sessionId = url.split("/").pop() as string;
    await deliver(stripe.completeCheckout(sessionId));
    const subscriptionId = stripe.sessions.get(sessionId)?.subscription as string;

    // The failure's handling reads "past_due" from Stripe, and that answer is slow to arrive.
    const [failed] = stripe.failPayment(subscriptionId);
    const release = stripe.hold("GET", "/v1/subscriptions");
    const listsBefore = stripe.requests.filter((r) => r.path === "/v1/subscriptions").length;
    const first = deliver([failed as StripeEvent], { settle: false });
    await until(
      async () => stripe.requests.filter((r) => r.path === "/v1/subscriptions").length,
      (n) => n > listsBefore,
    );
    // Meanwhile the invoice is paid and its event arrives: its job waits for the first to finish.
    const [paid] = stripe.payInvoice(subscriptionId);
    expect((await deliver([paid as StripeEvent], { settle: false }))[0]?.status).toBe(200);
    await until(
      () => reconcileJobs(account.id),
      (jobs) => jobs.some((j) => j.state === "active") && jobs.some((j) => j.state === "created"),
    );
    release();
    expect((await first)[0]?.status).toBe(200);
    await deliver([]);
    expect(await admin.billing.status()).toMatchObject({ state: "active", status: "active" });
    expect((await billingRow(account.id))?.pastDueSince).toBeNull();
  });

  it("keeps an event whose handling Stripe's trouble delays, and the job retries until Stripe answers", async () => {
    const { admin } = await signUpAccount(rt, "Retry");
    const { url } = await admin.billing.checkout({ plan: "team" });
    const [completed] = stripe.completeCheckout(url.split("/").pop() as string);
    if (!completed) throw new Error("no event");
    // The first attempt's request and the SDK's two retries all fail.
    stripe.failNext(3);
    expect((await deliver([completed], { settle: false }))[0]?.body).toEqual({ received: true });
    await deliver([]);
    const jobs = await reconcileJobs((await admin.auth.me())?.account.id);
    expect(jobs.map((j) => j.state)).toEqual(["completed"]);
    expect(await admin.billing.status()).toMatchObject({ state: "active", plan: "team" });
  });

  it("answers 500 when the account cannot be found now, stores nothing, and takes Stripe's next delivery", async () => {
    const { admin, account } = await signUpAccount(rt, "Elsewhere");
    // A customer made in Stripe's dashboard for this account (Netia has not seen it).
    const customer = "cus_made_in_dashboard";
    stripe.customers.set(customer, {
      id: customer,
      email: null,
      name: null,
      metadata: { accountId: account.id },
    });
    const created = stripe.event("customer.subscription.created", {
      id: "sub_y",
      object: "subscription",
      customer,
    });
    stripe.failNext(3);
    const [refusedNow] = await deliver([created]);
    expect(refusedNow?.status).toBe(500);
    const stored = await rt.db
      .select()
      .from(schema.stripeEvents)
      .where(eq(schema.stripeEvents.id, created.id));
    expect(stored).toEqual([]);
    // Stripe delivers it again: taken now, not refused as a duplicate, and the customer is the account's.
    expect((await deliver([created]))[0]).toEqual({ status: 200, body: { received: true } });
    expect((await billingRow(account.id))?.stripeCustomerId).toBe(customer);
    expect((await admin.billing.status()).state).toBe("trial");
  });

  it("lets an operator exempt an account: unlimited, and no Checkout", async () => {
    const { admin, account } = await signUpAccount(rt, "Exempt");
    await endTrial(account.id);
    await expect(admin.inboxes.create({ name: "Second" })).rejects.toMatchObject(
      refused(/Starter plan allows 1 inbox/),
    );
    // What `netia billing exempt <email>` does.
    const stripeSettings = rt.config.stripe as NonNullable<Runtime["config"]["stripe"]>;
    const me = await admin.auth.me();
    expect(await setBillingExempt(rt.db, stripeSettings, me?.user.email as string, true)).toEqual({
      accountId: account.id,
      companyName: "Exempt",
    });
    await expect(
      setBillingExempt(rt.db, stripeSettings, "nobody@nowhere.test", true),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await admin.billing.status()).toMatchObject({ state: "exempt" });
    expect(await usageOf(admin, "inboxes")).toMatchObject({ allowed: null });
    await admin.inboxes.create({ name: "Second" });
    await admin.inboxes.create({ name: "Third" });
    await expect(admin.billing.checkout({ plan: "team" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});

describe("each limit, refused by the server itself", () => {
  /** An account on the free plan (trial over): 2 seats, 1 inbox, 50 AI replies a month. */
  async function freeAccount() {
    const owner = await signUpAccount(rt, "Free");
    await endTrial(owner.account.id);
    expect((await owner.admin.billing.status()).state).toBe("free");
    return owner;
  }

  it("seats: invitations count, a second invite past the limit is refused, and so is enabling a member", async () => {
    const { admin, account } = await freeAccount();
    const { url } = await admin.team.invite({ email: uniqueEmail("first") });
    await expect(admin.team.invite({ email: uniqueEmail("second") })).rejects.toMatchObject(
      refused(/Starter plan has 2 seats, all taken/),
    );
    // The invitee joins: still 2 seats, still full.
    const agent = client(rt);
    const { user } = await agent.auth.acceptInvitation({
      token: tokenOfLink(url),
      name: "Bo",
      password: "agent password 1",
    });
    await expect(admin.team.invite({ email: uniqueEmail("third") })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    // Disabling frees a seat; an invitation takes it; enabling the member again is refused.
    await admin.team.setDisabled({ userId: user.id, disabled: true });
    await admin.team.invite({ email: uniqueEmail("replacement") });
    await expect(
      admin.team.setDisabled({ userId: user.id, disabled: false }),
    ).rejects.toMatchObject(refused(/seats/));
    const invitations = await rt.db
      .select()
      .from(schema.invitations)
      .where(eq(schema.invitations.accountId, account.id));
    expect(invitations).toHaveLength(2);
  });

  it("seats: two invitations at once for the last seat, exactly one wins", async () => {
    const { admin, account } = await freeAccount();
    const results = await Promise.allSettled([
      admin.team.invite({ email: uniqueEmail("race-a") }),
      admin.team.invite({ email: uniqueEmail("race-b") }),
      admin.team.invite({ email: uniqueEmail("race-c") }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const open = await rt.db
      .select()
      .from(schema.invitations)
      .where(eq(schema.invitations.accountId, account.id));
    expect(open).toHaveLength(1);
  });

  it("inboxes: the second is refused, the first keeps working", async () => {
    const { admin } = await freeAccount();
    await expect(admin.inboxes.create({ name: "Second" })).rejects.toMatchObject(
      refused(/Starter plan allows 1 inbox\. Upgrade in Settings → Billing/),
    );
    expect(await admin.inboxes.list()).toHaveLength(1);
  });

  it("AI replies: past the month's quota the assistant hands off to people and the visitor's chat goes on", async () => {
    const { admin, account } = await freeAccount();
    await admin.assistant.updateSettings({ enabled: true, botName: "Ada", businessName: "Free" });
    const visitor = await newVisitor(rt, account.id);
    const send = (body: string, conversationId?: string) =>
      visitor.widget.widget.sendMessage({ body, conversationId, clientMessageId: randomUUID() });
    openai.onChat(() => ({ content: "Hello from the assistant." }));

    // Within the quota the assistant answers.
    const first = await send("Hello?");
    const answered = await until(
      () => publicBotMessages(first.conversationId),
      (rows) => rows.length === 1,
    );
    expect(answered[0]?.body).toBe("Hello from the assistant.");

    // The month's other 49 answers (in other conversations), then a new conversation.
    await rt.db.insert(schema.assistantRuns).values(
      Array.from({ length: 49 }, () => ({
        accountId: account.id,
        conversationId: first.conversationId,
        kind: "reply" as const,
        outcome: "answered" as const,
      })),
    );
    expect(await usageOf(admin, "aiReplies")).toMatchObject({ used: 50, allowed: 50 });
    const chatsBefore = openai.chats.length;
    const second = await send("Are you there?");
    const handedOff = await until(
      () => conversationRow(second.conversationId),
      (row) => row?.answeredBy === "people",
    );
    expect(handedOff?.handoffReason).toBe("ai_quota");
    expect(openai.chats.length).toBe(chatsBefore);
    expect((await publicBotMessages(second.conversationId)).map((m) => m.body)).toEqual([
      HANDOFF_MESSAGE,
    ]);
    // The visitor keeps writing and the team answers, as in any conversation.
    await send("Still here", second.conversationId);
    await admin.messages.reply({ conversationId: second.conversationId, body: "A person here!" });
    const seen = await visitor.widget.widget.listMessages({
      conversationId: second.conversationId,
    });
    expect(JSON.stringify(seen)).toContain("A person here!");
  });
});

describe("billing off", () => {
  it("limits nothing, shows no billing and answers no billing route", async () => {
    const off = await createTestRuntime();
    try {
      expect(off.config.stripe).toBeNull();
      const { admin, account } = await signUpAccount(off, "SelfHosted");
      expect((await admin.auth.me())?.billing).toBe(false);
      for (const call of [
        () => admin.billing.status(),
        () => admin.billing.checkout({ plan: "team" }),
        () => admin.billing.portal(),
      ]) {
        await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
      }
      const response = await handleStripeWebhook(
        off,
        new Request("http://x/api/webhooks/stripe", { method: "POST", body: "{}" }),
      );
      expect(response.status).toBe(404);
      // Far past every plan's free allowance.
      for (let i = 0; i < 6; i++) await admin.inboxes.create({ name: `Inbox ${i}` });
      for (let i = 0; i < 4; i++) await admin.team.invite({ email: uniqueEmail("self") });
      expect(await admin.inboxes.list()).toHaveLength(7);
      // Nothing was written for billing.
      const rows = await off.db
        .select()
        .from(schema.billingAccounts)
        .where(eq(schema.billingAccounts.accountId, account.id));
      expect(rows).toEqual([]);
    } finally {
      await closeRuntime(off);
    }
  });
});

async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function publicBotMessages(conversationId: string) {
  return rt.db
    .select()
    .from(schema.messages)
    .where(
      and(
        eq(schema.messages.conversationId, conversationId),
        eq(schema.messages.senderType, "bot"),
        eq(schema.messages.private, false),
      ),
    )
    .orderBy(asc(schema.messages.seq));
}

async function conversationRow(conversationId: string) {
  const [row] = await rt.db
    .select()
    .from(schema.conversations)
    .where(eq(schema.conversations.id, conversationId));
  return row;
}
