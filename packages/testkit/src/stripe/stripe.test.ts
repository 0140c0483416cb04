// The fake Stripe answers Stripe's own SDK as Stripe does, and the events it
// hands out carry signatures the SDK's verification accepts.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeStripe, sendStripeEvent, startFakeStripe } from "./index";

let fake: FakeStripe;
let stripe: Stripe;

beforeAll(async () => {
  fake = await startFakeStripe({
    secretKey: "sk_test_fake",
    prices: [{ id: "price_team", unitAmount: 2900 }],
  });
  stripe = new Stripe("sk_test_fake", {
    host: fake.host,
    port: fake.port,
    protocol: "http",
    maxNetworkRetries: 0,
  });
});
afterAll(() => fake.close());

describe("fake Stripe", () => {
  it("runs a customer through Checkout, a failed payment and a cancellation", async () => {
    const customer = await stripe.customers.create({
      email: "ana@acme.test",
      metadata: { accountId: "acc-1" },
    });
    expect(fake.customers.get(customer.id)?.metadata).toEqual({ accountId: "acc-1" });
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer: customer.id,
      line_items: [{ price: "price_team", quantity: 1 }],
      success_url: "http://localhost/done",
      subscription_data: { metadata: { accountId: "acc-1" } },
    });
    expect(session.url).toBe(`${fake.url}/checkout/${session.id}`);
    const [completed] = fake.completeCheckout(session.id);
    expect(completed?.type).toBe("checkout.session.completed");
    const subscriptionId = (await stripe.checkout.sessions.retrieve(session.id))
      .subscription as string;
    const subscription = await stripe.subscriptions.retrieve(subscriptionId);
    expect(subscription.status).toBe("active");
    expect(subscription.metadata).toEqual({ accountId: "acc-1" });
    expect(subscription.items.data[0]?.price.id).toBe("price_team");
    const preview = await stripe.invoices.createPreview({ customer: customer.id });
    expect(preview.amount_due).toBe(2900);

    fake.failPayment(subscriptionId);
    const listed = await stripe.subscriptions.list({ customer: customer.id, status: "all" });
    expect(listed.data.map((s) => s.status)).toEqual(["past_due"]);
    fake.cancel(subscriptionId);
    await expect(stripe.invoices.createPreview({ customer: customer.id })).rejects.toMatchObject({
      code: "invoice_upcoming_none",
    });
    const portal = await stripe.billingPortal.sessions.create({ customer: customer.id });
    expect(portal.url).toContain("/portal/");
  });

  it("refuses a wrong key and an unknown object as Stripe does", async () => {
    const wrong = new Stripe("sk_test_wrong", {
      host: fake.host,
      port: fake.port,
      protocol: "http",
      maxNetworkRetries: 0,
    });
    await expect(wrong.customers.create({})).rejects.toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );
    await expect(stripe.subscriptions.retrieve("sub_missing")).rejects.toMatchObject({
      statusCode: 404,
      code: "resource_missing",
    });
  });

  it("signs events so that constructEvent accepts them with the right secret only", async () => {
    const received: Array<{ body: string; signature: string }> = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        received.push({ body, signature: String(req.headers["stripe-signature"]) });
        res.end("ok");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const event = fake.event("invoice.paid", { id: "in_1", object: "invoice" });
    await sendStripeEvent(endpoint, "whsec_right", event);
    server.close();
    const [delivery] = received;
    if (!delivery) throw new Error("nothing delivered");
    const parsed = stripe.webhooks.constructEvent(delivery.body, delivery.signature, "whsec_right");
    expect(parsed.id).toBe(event.id);
    expect(() =>
      stripe.webhooks.constructEvent(delivery.body, delivery.signature, "whsec_wrong"),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });
});
