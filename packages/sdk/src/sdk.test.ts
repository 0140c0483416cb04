// @netia/sdk against a running Netia API (real HTTP, real websocket, real
// Postgres): typed calls, a live subscription, a revoked key refused and its
// open subscription ended, scopes enforced, rate limits surfaced as typed errors.
import { randomUUID } from "node:crypto";
import { createTestRuntime, newVisitor, signUpAccount } from "@netia/api/testing";
import type { Runtime } from "@netia/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createNetiaClient, isNetiaError, type NetiaClient, NetiaError } from "./index";
import { startTestServer, type TestServer } from "./testing/server";

let rt: Runtime;
let server: TestServer;
let owner: Awaited<ReturnType<typeof signUpAccount>>;
const clients: NetiaClient[] = [];

beforeAll(async () => {
  rt = await createTestRuntime();
  server = await startTestServer(rt);
  owner = await signUpAccount(rt);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
  await rt.database.close();
});

async function newKey(scopes: ("read" | "write" | "admin")[]) {
  return owner.admin.apiKeys.create({ label: `sdk ${randomUUID()}`, scopes });
}

function sdk(apiKey: string, extra: { maxRetries?: number } = {}): NetiaClient {
  const client = createNetiaClient({
    url: server.url,
    apiKey,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    retry: { maxRetries: extra.maxRetries },
  });
  clients.push(client);
  return client;
}

async function customerWrites(body: string) {
  const visitor = await newVisitor(rt, owner.account.id);
  return visitor.widget.widget.sendMessage({ body, clientMessageId: randomUUID() });
}

async function failure(call: Promise<unknown>): Promise<NetiaError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isNetiaError(error)) throw new Error(`expected a NetiaError, got ${String(error)}`);
  return error;
}

/** Resolves when `check` holds (for what a subscription delivered so far). */
function waitFor(check: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 15_000;
    const poll = () => {
      if (check()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

describe("typed calls", () => {
  it("lists open conversations, replies, and tags", async () => {
    const { conversationId } = await customerWrites("Where is my order?");
    const { secret } = await newKey(["read", "write"]);
    const netia = sdk(secret);
    const { items } = await netia.conversations.list.query({ view: "all" });
    const listed = items.find((c) => c.id === conversationId);
    expect(listed?.status).toBe("open");
    const reply = await netia.messages.reply.mutate({ conversationId, body: "On its way!" });
    expect(reply).toMatchObject({ conversationId, body: "On its way!", type: "reply" });
    const tag = await netia.tags.create.mutate({ name: `shipping-${randomUUID().slice(0, 6)}` });
    await netia.conversations.addTag.mutate({ conversationId, tagId: tag.id });
    // Seen by the team in the dashboard.
    const seen = await owner.admin.conversations.get({ id: conversationId });
    expect(seen.tags.map((t) => t.id)).toEqual([tag.id]);
    const { items: messages } = await netia.messages.list.query({ conversationId });
    expect(messages.map((m) => m.body)).toEqual(["Where is my order?", "On its way!"]);
  });

  it("answers bad input with a typed error naming the field", async () => {
    const { secret } = await newKey(["read", "write"]);
    const error = await failure(
      sdk(secret).messages.reply.mutate({ conversationId: "nope", body: "x" }),
    );
    expect(error).toBeInstanceOf(NetiaError);
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.status).toBe(400);
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["conversationId"]);
  });
});

describe("live subscriptions", () => {
  it("receive a customer's new message", async () => {
    const { secret } = await newKey(["read"]);
    const netia = sdk(secret);
    const events: { type: string; body?: string }[] = [];
    let started = false;
    const subscription = netia.dashboard.events.subscribe(
      {},
      {
        onStarted: () => {
          started = true;
        },
        onData: ({ data }) => {
          events.push({
            type: data.type,
            body: data.type === "message.created" ? data.message.body : undefined,
          });
        },
      },
    );
    await waitFor(() => started, "the subscription to start");
    // The stream first reports who is online; the message arrives after.
    await waitFor(() => events.some((x) => x.type === "presence.snapshot"), "the snapshot");
    const body = `live ${randomUUID()}`;
    await customerWrites(body);
    await waitFor(() => events.some((x) => x.body === body), "the new message");
    subscription.unsubscribe();
  });
});

describe("revoking a key", () => {
  it("refuses its next call and ends its open subscription", async () => {
    const { key, secret } = await newKey(["read"]);
    const netia = sdk(secret);
    await netia.tags.list.query();
    const errors: unknown[] = [];
    let snapshot = false;
    netia.dashboard.events.subscribe(
      {},
      {
        onData: ({ data }) => {
          if (data.type === "presence.snapshot") snapshot = true;
        },
        onError: (error) => errors.push(error),
      },
    );
    await waitFor(() => snapshot, "the subscription to start");
    await owner.admin.apiKeys.revoke({ id: key.id });
    // The server closes the socket; on reconnecting, the key is refused.
    await waitFor(() => errors.length > 0, "the subscription to end");
    expect(errors[0]).toBeInstanceOf(NetiaError);
    expect((errors[0] as NetiaError).code).toBe("UNAUTHORIZED");
    const refused = await failure(netia.tags.list.query());
    expect(refused.code).toBe("UNAUTHORIZED");
    expect(refused.message).toBe("This API key is not valid: unknown, expired or revoked");
  });
});

describe("scopes", () => {
  it("keep a read key from sending", async () => {
    const { conversationId } = await customerWrites("Hello?");
    const { secret } = await newKey(["read"]);
    const netia = sdk(secret);
    expect((await netia.conversations.get.query({ id: conversationId })).id).toBe(conversationId);
    const refused = await failure(netia.messages.reply.mutate({ conversationId, body: "no" }));
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.status).toBe(403);
    const { items } = await owner.admin.messages.list({ conversationId });
    expect(items.map((m) => m.body)).toEqual(["Hello?"]);
  });

  it("reach no procedure a key may not call", async () => {
    const { secret } = await newKey(["read", "write", "admin"]);
    // Not part of the SDK's types: called through the untyped path on purpose.
    const untyped = sdk(secret) as unknown as {
      apiKeys: { create: { mutate(input: unknown): Promise<unknown> } };
    };
    const refused = await failure(untyped.apiKeys.create.mutate({ label: "x", scopes: ["read"] }));
    expect(refused.code).toBe("FORBIDDEN");
  });
});

describe("rate limits", () => {
  it("surface as TOO_MANY_REQUESTS with the seconds to wait, past the retries", async () => {
    const limited = await createTestRuntime({
      database: rt.database,
      rateLimits: { apiKeyPerKey: 2 },
    });
    const limitedServer = await startTestServer(limited);
    try {
      const { secret } = await newKey(["read"]);
      const netia = createNetiaClient({
        url: limitedServer.url,
        apiKey: secret,
        retry: { maxRetries: 0 },
      });
      await netia.tags.list.query();
      await netia.tags.list.query();
      const refused = await failure(netia.tags.list.query());
      expect(refused.code).toBe("TOO_MANY_REQUESTS");
      expect(refused.status).toBe(429);
      expect(refused.retryAfterSeconds).toBeGreaterThan(0);
      // A wait longer than the client accepts is not waited for either.
      const patient = createNetiaClient({
        url: limitedServer.url,
        apiKey: secret,
        retry: { maxRetries: 3, maxDelayMs: 1000 },
      });
      expect((await failure(patient.tags.list.query())).code).toBe("TOO_MANY_REQUESTS");
    } finally {
      await limitedServer.close();
    }
  });
});
