// A fake Stripe on a local port, for tests: a real HTTP server that speaks the
// parts of Stripe's API Netia uses, form-encoded as the stripe SDK sends them,
// so `new Stripe(key, { host, port, protocol: "http" })` runs against it
// unchanged; plus what Stripe does on its own side (a customer paying at
// Checkout, a card failing, an invoice paid later, a cancellation), each
// returning the events Stripe would send, for `sendStripeEvent` to sign and
// deliver:
//
//   const stripe = await startFakeStripe({ secretKey: "sk_test_x", prices: [{ id: "price_team", unitAmount: 2900 }] });
//   // Netia creates a customer and a Checkout session; the customer pays:
//   const events = stripe.completeCheckout(sessionId);
//   for (const event of events) await sendStripeEvent(webhookUrl, "whsec_x", event);
//   const failed = stripe.failPayment(subscriptionId);     // past_due + invoice.payment_failed
//   const release = stripe.hold("GET", "/v1/subscriptions"); // the next such answer arrives on release()
//   stripe.failNext(3);                                     // the next 3 API requests get 500
//   await stripe.close();
//
// Endpoints: POST/GET /v1/customers[/id], POST/GET /v1/checkout/sessions[/id],
// POST /v1/billing_portal/sessions, GET /v1/subscriptions[/id] (list by
// customer, status=all), GET /v1/prices/id, POST /v1/invoices/create_preview.
// Errors are Stripe's `{ error: { type, code, message } }` with its statuses
// (401 for a wrong key, 404 resource_missing). GET /checkout/<id> and
// /portal/<id> answer a small page: the URLs a browser is sent to.
// It imports nothing from the workspace.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import Stripe from "stripe";

type Obj = Record<string, unknown>;

/** An event as Stripe sends it to a webhook endpoint. */
export type StripeEvent = Stripe.Event;

export type FakeStripePrice = { id: string; unitAmount: number; currency?: string };

export type FakeStripeSubscription = {
  id: string;
  customer: string;
  price: string;
  status: Stripe.Subscription.Status;
  created: number;
  currentPeriodEnd: number;
  cancelAtPeriodEnd: boolean;
  metadata: Record<string, string>;
};

export type FakeCheckoutSession = {
  id: string;
  customer: string | null;
  price: string;
  clientReferenceId: string | null;
  successUrl: string;
  cancelUrl: string | null;
  status: "open" | "complete";
  subscription: string | null;
  metadata: Record<string, string>;
  /** Every field as the SDK sent it (nested keys still flat: `line_items[0][price]`). */
  params: Record<string, string>;
};

export type RecordedStripeRequest = {
  method: string;
  path: string;
  params: Record<string, string>;
};

export type FakeStripe = {
  /** For `new Stripe(key, { host, port, protocol })`, or STRIPE_API_URL. */
  url: string;
  host: string;
  port: number;
  customers: Map<
    string,
    { id: string; email: string | null; name: string | null; metadata: Record<string, string> }
  >;
  sessions: Map<string, FakeCheckoutSession>;
  subscriptions: Map<string, FakeStripeSubscription>;
  portalSessions: Array<{ id: string; customer: string; returnUrl: string | null; url: string }>;
  requests: RecordedStripeRequest[];
  /** The customer pays at Checkout: an active subscription and the events Stripe sends. */
  completeCheckout(sessionId: string): Stripe.Event[];
  /** A renewal's payment fails: past_due, invoice.payment_failed and the subscription's update. */
  failPayment(subscriptionId: string): Stripe.Event[];
  /** The open invoice is paid (a new card in the portal, a retry): active again. */
  payInvoice(subscriptionId: string): Stripe.Event[];
  /** The subscription ends (cancelled in the portal, or dunning gave up). */
  cancel(subscriptionId: string): Stripe.Event[];
  /** An event as Stripe would send it, about `object`. */
  event(type: string, object: Obj): Stripe.Event;
  /**
   * The next request of `method` whose path starts with `pathPrefix` is
   * answered from the state at its arrival, but the answer is only sent when
   * the returned function is called (a slow network): forces an interleaving.
   */
  hold(method: string, pathPrefix: string): () => void;
  /** The next `count` API requests fail with `status` (Stripe having trouble). */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
};

const DAY = 24 * 60 * 60;

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;

/** Stripe's form encoding (`a[b][0][c]=v`) back to flat keys and values. */
function parseForm(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}

/** The fields under `prefix[...]` as an object of their own (metadata and the like). */
function nested(params: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  const start = `${prefix}[`;
  for (const [k, v] of Object.entries(params)) {
    if (k.startsWith(start) && k.endsWith("]") && !k.slice(start.length, -1).includes("[")) {
      out[k.slice(start.length, -1)] = v;
    }
  }
  return out;
}

class StripeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

const missing = (what: string, id: string) =>
  new StripeHttpError(404, "invalid_request_error", `No such ${what}: '${id}'`, "resource_missing");

export async function startFakeStripe(options: {
  secretKey: string;
  prices: FakeStripePrice[];
}): Promise<FakeStripe> {
  const prices = new Map(options.prices.map((p) => [p.id, p]));
  const customers: FakeStripe["customers"] = new Map();
  const sessions = new Map<string, FakeCheckoutSession>();
  const subscriptions = new Map<string, FakeStripeSubscription>();
  const portalSessions: FakeStripe["portalSessions"] = [];
  const requests: RecordedStripeRequest[] = [];
  const holds: Array<{ method: string; prefix: string; released: Promise<void> }> = [];
  const failures: number[] = [];
  const now = () => Math.floor(Date.now() / 1000);
  let url = "";

  const priceObject = (id: string) => {
    const price = prices.get(id);
    if (!price) throw missing("price", id);
    return {
      id,
      object: "price",
      active: true,
      currency: price.currency ?? "usd",
      unit_amount: price.unitAmount,
      recurring: { interval: "month", interval_count: 1 },
      type: "recurring",
    };
  };

  const customerObject = (id: string) => {
    const c = customers.get(id);
    if (!c) throw missing("customer", id);
    return { id, object: "customer", email: c.email, name: c.name, metadata: c.metadata };
  };

  const subscriptionObject = (s: FakeStripeSubscription) => ({
    id: s.id,
    object: "subscription",
    customer: s.customer,
    status: s.status,
    created: s.created,
    cancel_at_period_end: s.cancelAtPeriodEnd,
    canceled_at: s.status === "canceled" ? now() : null,
    metadata: s.metadata,
    items: {
      object: "list",
      data: [
        {
          id: `si_${s.id.slice(4)}`,
          object: "subscription_item",
          price: priceObject(s.price),
          quantity: 1,
          current_period_start: s.currentPeriodEnd - 30 * DAY,
          current_period_end: s.currentPeriodEnd,
        },
      ],
      has_more: false,
    },
  });

  const sessionObject = (s: FakeCheckoutSession) => ({
    id: s.id,
    object: "checkout.session",
    mode: "subscription",
    customer: s.customer,
    client_reference_id: s.clientReferenceId,
    status: s.status,
    subscription: s.subscription,
    success_url: s.successUrl,
    cancel_url: s.cancelUrl,
    metadata: s.metadata,
    url: s.status === "open" ? `${url}/checkout/${s.id}` : null,
  });

  const invoiceObject = (s: FakeStripeSubscription, status: "paid" | "open" | "draft") => {
    const price = prices.get(s.price);
    return {
      id: newId("in"),
      object: "invoice",
      customer: s.customer,
      status,
      amount_due: price?.unitAmount ?? 0,
      amount_paid: status === "paid" ? (price?.unitAmount ?? 0) : 0,
      currency: price?.currency ?? "usd",
      period_end: s.currentPeriodEnd,
      next_payment_attempt: status === "paid" ? null : s.currentPeriodEnd,
      parent: {
        type: "subscription_details",
        subscription_details: { subscription: s.id, metadata: s.metadata },
        quote_details: null,
      },
    };
  };

  const event = (type: string, object: Obj): Stripe.Event =>
    ({
      id: newId("evt"),
      object: "event",
      api_version: Stripe.API_VERSION,
      created: now(),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object },
    }) as unknown as Stripe.Event;

  const subscriptionOf = (id: string) => {
    const s = subscriptions.get(id);
    if (!s) throw missing("subscription", id);
    return s;
  };

  function authorize(req: IncomingMessage) {
    const header = req.headers.authorization ?? "";
    if (header !== `Bearer ${options.secretKey}`) {
      throw new StripeHttpError(401, "invalid_request_error", "Invalid API Key provided");
    }
  }

  function route(
    method: string,
    path: string,
    params: Record<string, string>,
    query: URLSearchParams,
  ): Obj {
    /** The id after `prefix` in a GET's path (`/v1/customers/cus_1` → `cus_1`), else null. */
    const idAt = (prefix: string) => {
      if (method !== "GET" || !path.startsWith(prefix)) return null;
      const rest = path.slice(prefix.length);
      return rest && !rest.includes("/") ? rest : null;
    };
    const customerId = idAt("/v1/customers/");
    const sessionId = idAt("/v1/checkout/sessions/");
    const subscriptionId = idAt("/v1/subscriptions/");
    const priceId = idAt("/v1/prices/");
    if (method === "POST" && path === "/v1/customers") {
      const id = newId("cus");
      customers.set(id, {
        id,
        email: params.email ?? null,
        name: params.name ?? null,
        metadata: nested(params, "metadata"),
      });
      return customerObject(id);
    }
    if (customerId) {
      return customerObject(customerId);
    }
    if (method === "POST" && path === "/v1/checkout/sessions") {
      const price = params["line_items[0][price]"];
      if (params.mode !== "subscription" || !price || !params.success_url) {
        throw new StripeHttpError(
          400,
          "invalid_request_error",
          "mode=subscription, line_items and success_url are required",
        );
      }
      priceObject(price);
      if (params.customer) customerObject(params.customer);
      const id = newId("cs_test");
      const session: FakeCheckoutSession = {
        id,
        customer: params.customer ?? null,
        price,
        clientReferenceId: params.client_reference_id ?? null,
        successUrl: params.success_url,
        cancelUrl: params.cancel_url ?? null,
        status: "open",
        subscription: null,
        metadata: nested(params, "metadata"),
        params,
      };
      sessions.set(id, session);
      return sessionObject(session);
    }
    if (sessionId) {
      const session = sessions.get(sessionId);
      if (!session) throw missing("checkout.session", sessionId);
      return sessionObject(session);
    }
    if (method === "POST" && path === "/v1/billing_portal/sessions") {
      const customer = params.customer ?? "";
      customerObject(customer);
      const id = newId("bps");
      const session = {
        id,
        customer,
        returnUrl: params.return_url ?? null,
        url: `${url}/portal/${id}`,
      };
      portalSessions.push(session);
      return {
        id,
        object: "billing_portal.session",
        customer,
        return_url: session.returnUrl,
        url: session.url,
      };
    }
    if (method === "GET" && path === "/v1/subscriptions") {
      const customer = query.get("customer");
      const status = query.get("status") ?? "active";
      const data = [...subscriptions.values()]
        .filter((s) => !customer || s.customer === customer)
        .filter((s) => status === "all" || s.status === status)
        .sort((a, b) => b.created - a.created)
        .map(subscriptionObject);
      return { object: "list", data, has_more: false, url: "/v1/subscriptions" };
    }
    if (subscriptionId) {
      return subscriptionObject(subscriptionOf(subscriptionId));
    }
    if (priceId) {
      return priceObject(priceId);
    }
    if (method === "POST" && path === "/v1/invoices/create_preview") {
      const candidates = [...subscriptions.values()].filter(
        (s) =>
          (params.subscription ? s.id === params.subscription : s.customer === params.customer) &&
          s.status !== "canceled" &&
          !s.cancelAtPeriodEnd,
      );
      const s = candidates[0];
      if (!s) {
        throw new StripeHttpError(
          400,
          "invalid_request_error",
          "No upcoming invoices for customer",
          "invoice_upcoming_none",
        );
      }
      return { ...invoiceObject(s, "draft"), id: null };
    }
    throw new StripeHttpError(
      404,
      "invalid_request_error",
      `Unrecognized request URL (${method}: ${path})`,
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = new URL(req.url ?? "/", "http://fake");
    const method = req.method ?? "GET";
    const path = target.pathname;
    if (method === "GET" && /^\/(checkout|portal)\//.test(path)) {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(
        `<!doctype html><title>Stripe (fake)</title><h1>${path.startsWith("/checkout") ? "Checkout" : "Customer portal"}</h1>`,
      );
      return;
    }
    const params =
      method === "GET"
        ? Object.fromEntries(target.searchParams)
        : parseForm(Buffer.concat(chunks).toString("utf8"));
    requests.push({ method, path, params });
    // A held request is answered from the state as it is now, delivered only on release.
    const held = holds.find((h) => h.method === method && path.startsWith(h.prefix));
    if (held) holds.splice(holds.indexOf(held), 1);
    let status = 200;
    let body: Obj;
    try {
      const failure = failures.shift();
      if (failure !== undefined) {
        throw new StripeHttpError(failure, "api_error", "Something went wrong on Stripe's end.");
      }
      authorize(req);
      body = route(method, path, params, target.searchParams);
    } catch (error) {
      if (!(error instanceof StripeHttpError)) throw error;
      status = error.status;
      body = {
        error: {
          type: error.type,
          message: error.message,
          ...(error.code ? { code: error.code } : {}),
        },
      };
    }
    if (held) await held.released;
    res.writeHead(status, { "content-type": "application/json", "request-id": newId("req") });
    res.end(JSON.stringify(body));
  }

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { type: "api_error", message: String(error) } }));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;

  const updated = (s: FakeStripeSubscription) =>
    event("customer.subscription.updated", subscriptionObject(s));

  return {
    url,
    host: "127.0.0.1",
    port,
    customers,
    sessions,
    subscriptions,
    portalSessions,
    requests,
    event,
    completeCheckout(sessionId) {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`no checkout session ${sessionId}`);
      if (session.status !== "open")
        throw new Error(`checkout session ${sessionId} is already complete`);
      let customer = session.customer;
      if (!customer) {
        customer = newId("cus");
        customers.set(customer, { id: customer, email: null, name: null, metadata: {} });
        session.customer = customer;
      }
      // A trial_end asked for at Checkout: trialing until then, the first invoice at its end.
      const trialEnd = Number(session.params["subscription_data[trial_end]"] ?? 0);
      const subscription: FakeStripeSubscription = {
        id: newId("sub"),
        customer,
        price: session.price,
        status: trialEnd > now() ? "trialing" : "active",
        created: now(),
        currentPeriodEnd: trialEnd > now() ? trialEnd : now() + 30 * DAY,
        cancelAtPeriodEnd: false,
        metadata: nested(session.params, "subscription_data[metadata]"),
      };
      subscriptions.set(subscription.id, subscription);
      session.status = "complete";
      session.subscription = subscription.id;
      return [
        event("checkout.session.completed", sessionObject(session)),
        event("customer.subscription.created", subscriptionObject(subscription)),
        // A trialing subscription's first invoice is for nothing, and paid at once.
        event("invoice.paid", {
          ...invoiceObject(subscription, "paid"),
          ...(subscription.status === "trialing" ? { amount_due: 0, amount_paid: 0 } : {}),
        }),
      ];
    },
    failPayment(subscriptionId) {
      const s = subscriptionOf(subscriptionId);
      s.status = "past_due";
      return [event("invoice.payment_failed", invoiceObject(s, "open")), updated(s)];
    },
    payInvoice(subscriptionId) {
      const s = subscriptionOf(subscriptionId);
      s.status = "active";
      s.currentPeriodEnd = now() + 30 * DAY;
      return [event("invoice.paid", invoiceObject(s, "paid")), updated(s)];
    },
    cancel(subscriptionId) {
      const s = subscriptionOf(subscriptionId);
      s.status = "canceled";
      return [event("customer.subscription.deleted", subscriptionObject(s))];
    },
    hold(method, pathPrefix) {
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      holds.push({ method, prefix: pathPrefix, released });
      return release;
    },
    failNext(count, status = 500) {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The `Stripe-Signature` header Stripe would send with `payload`, from the SDK itself. */
export function stripeSignature(payload: string, secret: string, timestamp?: number): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    ...(timestamp !== undefined ? { timestamp } : {}),
  });
}

/**
 * Delivers `event` to a webhook endpoint as Stripe does: the JSON body with a
 * `Stripe-Signature` header made by the SDK's own generateTestHeaderString.
 * `secret` is the endpoint's signing secret (a wrong one makes a bad
 * signature); `body` sends other bytes under the event's signature (tampering).
 */
export async function sendStripeEvent(
  endpoint: string,
  secret: string,
  event: Stripe.Event | Obj,
  options: { timestamp?: number; body?: string } = {},
): Promise<Response> {
  const payload = JSON.stringify(event);
  return fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "stripe-signature": stripeSignature(payload, secret, options.timestamp),
    },
    body: options.body ?? payload,
  });
}
