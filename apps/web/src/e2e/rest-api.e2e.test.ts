// The REST API on a real Netia server, through the Next.js routes under
// /api/v1, driven by a client built from the OpenAPI document the server
// serves (plain fetch; @netia/api/testing/rest-client): every documented route
// refuses a caller without a valid key with 401, answers a key with a status
// and a body the document describes, and a conversation started in the widget
// is listed, read, answered and closed over REST.
import { randomUUID } from "node:crypto";
import { createTestRuntime, newVisitor, testConfig } from "@netia/api/testing";
import { type Fixture, inputsAgainst, populatedAccount } from "@netia/api/testing/fixtures";
import {
  type OpenApiDocument,
  operationsOf,
  type RestOperation,
  restClient,
} from "@netia/api/testing/rest-client";
import type { Runtime } from "@netia/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../server";
import { useDevServer } from "./harness";
import { freePort } from "./nodes";

let rt: Runtime;
let server: RunningServer;
let a: Fixture;
let document: OpenApiDocument;
let adminSecret: string;

beforeAll(async () => {
  // The server knows its own address, which the document gives as its server.
  const port = await freePort();
  const config = testConfig({
    HOST: "127.0.0.1",
    PORT: String(port),
    BACKEND_URL: `http://127.0.0.1:${port}`,
  });
  rt = await createTestRuntime({ config });
  server = await startServer({ config, runtime: rt, port, dev: useDevServer() });
  a = await populatedAccount(rt, "R");
  ({ secret: adminSecret } = await a.admin.apiKeys.create({
    label: "REST tests",
    scopes: ["read", "write", "admin"],
  }));
  const res = await fetch(`${server.url}/api/v1/openapi.json`);
  expect(res.status).toBe(200);
  document = (await res.json()) as OpenApiDocument;
}, 180_000);

afterAll(async () => {
  await server?.close();
  await rt?.database.close();
});

/** The procedure an operation runs ("conversations-list" → "conversations.list"). */
const procedureOf = (op: RestOperation) => op.operationId.replace("-", ".");

/** A valid input for every operation, aimed at account A (the tenant fixtures' inputs). */
function inputFor(op: RestOperation): Record<string, unknown> {
  const inputs = inputsAgainst(a);
  const path = procedureOf(op);
  if (!(path in inputs)) throw new Error(`no fixture input for ${path}`);
  return (inputs[path] as Record<string, unknown> | undefined) ?? {};
}

/** Writes that remove what later calls use go last: deletions, then the merge. */
function destructiveLast(ops: RestOperation[]): RestOperation[] {
  const rank = (op: RestOperation) =>
    op.operationId === "tags-delete"
      ? 3
      : op.operationId === "customers-merge"
        ? 2
        : op.method === "delete"
          ? 1
          : 0;
  return [...ops].sort((x, y) => rank(x) - rank(y));
}

/**
 * The fixture's webhook endpoint is switched off, so nothing leaves this
 * machine; sending to it is refused with a (documented) 400.
 */
const SWITCHED_OFF_REFUSES = ["webhooks-redeliver", "webhooks-sendTest"];

describe("the document", () => {
  it("is served at /api/v1/openapi.json as OpenAPI 3.1, naming this server", async () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.servers).toEqual([{ url: `${server.url}/api` }]);
    const res = await fetch(`${server.url}/api/v1/openapi.json`);
    expect(res.headers.get("content-type")).toContain("application/json");
    // Generated once per process: the same document each time.
    expect(await res.json()).toEqual(document);
  });
});

describe("every documented route", () => {
  it("answers 401, as documented, without a key or with one that is not valid", async () => {
    const revoked = await a.admin.apiKeys.create({ label: "revoked", scopes: ["read", "write"] });
    await a.admin.apiKeys.revoke({ id: revoked.key.id });
    const anonymous = restClient(document, {});
    const withRevokedKey = restClient(document, { apiKey: revoked.secret });
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(30);
    for (const op of operations) {
      for (const caller of [anonymous, withRevokedKey]) {
        const answer = await caller.call(op.operationId, inputFor(op));
        expect(answer.status, op.operationId).toBe(401);
        expect(answer.body).toMatchObject({ code: "UNAUTHORIZED" });
      }
    }
    const forged = restClient(document, { apiKey: `netia_live_00000000_${"x".repeat(43)}` });
    expect((await forged.call("tags-list")).status).toBe(401);
  }, 120_000);

  it("answers a key with 200 and the documented body", async () => {
    const rest = restClient(document, { apiKey: adminSecret });
    const answered: string[] = [];
    for (const op of destructiveLast(operationsOf(document))) {
      const answer = await rest.call(op.operationId, inputFor(op));
      const expected = SWITCHED_OFF_REFUSES.includes(op.operationId) ? 400 : 200;
      expect(answer.status, `${op.operationId}: ${JSON.stringify(answer.body)}`).toBe(expected);
      if (expected === 400) expect(answer.body).toMatchObject({ message: /switched off/ });
      answered.push(op.operationId);
    }
    expect(answered).toHaveLength(operationsOf(document).length);
  }, 120_000);
});

describe("errors", () => {
  it("refuses a write to a read-only key with 403", async () => {
    const { secret } = await a.admin.apiKeys.create({ label: "reader", scopes: ["read"] });
    const rest = restClient(document, { apiKey: secret });
    expect((await rest.call("tags-list")).status).toBe(200);
    const answer = await rest.call("tags-create", { name: `refused ${randomUUID()}` });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(/write/),
    });
  });

  it("answers bad input with 400 and what to fix, and an unknown id with 404", async () => {
    const rest = restClient(document, { apiKey: adminSecret });
    const bad = await rest.call("conversations-list", { limit: 1000 });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/^limit: /),
      fieldErrors: { limit: [expect.any(String)] },
    });
    const notAnId = await rest.call("conversations-get", { id: "42" });
    expect(notAnId.status).toBe(400);
    const missing = await rest.call("conversations-get", { id: randomUUID() });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: "NOT_FOUND" });
  });

  it("answers a body that is not JSON with 415 and an unknown route with 404", async () => {
    const headers = { authorization: `Bearer ${adminSecret}` };
    const text = await fetch(`${server.url}/api/v1/tags`, {
      method: "POST",
      headers: { ...headers, "content-type": "text/plain" },
      body: "name=x",
    });
    expect(text.status).toBe(415);
    const unknown = await fetch(`${server.url}/api/v1/nothing-here`, { headers });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: "NOT_FOUND" });
  });

  it("ignores the session cookie: REST authenticates by key alone", async () => {
    const res = await fetch(`${server.url}/api/v1/tags`, {
      headers: { cookie: a.admin.cookieHeader() },
    });
    expect(res.status).toBe(401);
  });

  it("keeps each account's data to its own keys", async () => {
    const b = await populatedAccount(rt, "S");
    const { secret } = await b.admin.apiKeys.create({ label: "B", scopes: ["read", "write"] });
    const rest = restClient(document, { apiKey: secret });
    expect((await rest.call("conversations-get", { id: a.conversationId })).status).toBe(404);
    const listed = await rest.call("conversations-list", {});
    expect(JSON.stringify(listed.body)).not.toContain(a.conversationId);
    const reply = await rest.call("messages-reply", {
      conversationId: a.conversationId,
      body: "not yours",
    });
    expect(reply.status).toBe(404);
  });
});

describe("a round trip through the document's routes", () => {
  it("lists a widget conversation, reads it, replies, lists the messages and closes it", async () => {
    const visitor = await newVisitor(rt, a.account.id);
    const question = `Where is my order? ${randomUUID()}`;
    const { conversationId } = await visitor.widget.widget.sendMessage({
      body: question,
      clientMessageId: randomUUID(),
    });
    const rest = restClient(document, { apiKey: adminSecret });

    const open = await rest.call("conversations-list", { view: "all", limit: 100 });
    const listed = (open.body as { items: { id: string; status: string }[] }).items;
    expect(listed.find((c) => c.id === conversationId)).toMatchObject({ status: "open" });

    const got = await rest.call("conversations-get", { id: conversationId });
    expect(got.body).toMatchObject({ id: conversationId, customer: { id: visitor.customerId } });

    const clientMessageId = randomUUID();
    const reply = await rest.call("messages-reply", {
      conversationId,
      body: "It ships today.",
      clientMessageId,
    });
    expect(reply.body).toMatchObject({ body: "It ships today.", senderType: "user" });
    // A retried reply (same clientMessageId) is the same message, not a second one.
    const retried = await rest.call("messages-reply", {
      conversationId,
      body: "It ships today.",
      clientMessageId,
    });
    expect((retried.body as { id: string }).id).toBe((reply.body as { id: string }).id);

    const messages = await rest.call("messages-list", { conversationId, limit: 10 });
    expect((messages.body as { items: { body: string }[] }).items.map((m) => m.body)).toEqual([
      question,
      "It ships today.",
    ]);
    // The customer reads the reply in the widget.
    const seen = await visitor.widget.widget.listMessages({ conversationId });
    expect(seen.items.map((m) => m.body)).toContain("It ships today.");

    const closed = await rest.call("conversations-update", {
      id: conversationId,
      status: "closed",
    });
    expect(closed.body).toMatchObject({ id: conversationId, status: "closed" });
    const after = await rest.call("conversations-get", { id: conversationId });
    expect(after.body).toMatchObject({ status: "closed", closedAt: expect.any(String) });
  });
});
