// The bad-input cases of packages/api (NUL bytes and unpaired surrogates in
// every string, out-of-range dates, forged cursors, empty updates, wrong
// types) sent to a real Netia server: over HTTP through the Next.js route
// /api/trpc, and over the tRPC websocket. Every answer is a client error
// (4xx), never a 500, and the account's rows are the same afterwards.

import { createTestRuntime, testConfig } from "@netia/api/testing";
import { badInputs, proceduresWithInput } from "@netia/api/testing/bad-inputs";
import {
  apiKeyScopeOf,
  type Fixture,
  inputsAgainst,
  populatedAccount,
  snapshotAccount,
} from "@netia/api/testing/fixtures";
import type { Runtime } from "@netia/runtime";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../server";
import { useDevServer } from "./harness";
import { freePort, type LiveClient, liveClient } from "./nodes";

let rt: Runtime;
let server: RunningServer;
let a: Fixture;

beforeAll(async () => {
  // The server knows its own origin, so the agent's calls (sent with it) are same-origin.
  const port = await freePort();
  const config = testConfig({
    HOST: "127.0.0.1",
    PORT: String(port),
    BACKEND_URL: `http://127.0.0.1:${port}`,
  });
  rt = await createTestRuntime({ config });
  server = await startServer({ config, runtime: rt, port, dev: useDevServer() });
  a = await populatedAccount(rt, "W");
}, 180_000);

afterAll(async () => {
  await server?.close();
  await rt?.database.close();
});

const describeInput = (path: string, input: unknown) =>
  `${path} ${JSON.stringify(input)?.slice(0, 100)}`;

describe("bad input over the wire", () => {
  it("over HTTP: every procedure answers 4xx and writes nothing", async () => {
    const before = await snapshotAccount(rt, a.account.id);
    const inputs = inputsAgainst(a);
    const agent = { cookie: a.admin.cookieHeader(), origin: rt.config.backendUrl };
    const visitor = { "x-netia-widget-token": a.visitor.sessionToken };
    let calls = 0;
    let inputRefused = 0;
    // Subscriptions are served over the websocket only.
    for (const { path, type } of proceduresWithInput().filter((p) => p.type !== "subscription")) {
      const headers = path.startsWith("widget.") ? visitor : agent;
      for (const bad of badInputs(path, inputs[path], a, { oversized: false })) {
        const url = `${server.url}/api/trpc/${path}`;
        const res =
          type === "query"
            ? await fetch(`${url}?input=${encodeURIComponent(JSON.stringify(bad))}`, { headers })
            : await fetch(url, {
                method: "POST",
                headers: { ...headers, "content-type": "application/json" },
                body: JSON.stringify(bad),
              });
        const body = await res.text();
        calls++;
        if (res.status === 400) inputRefused++;
        expect(
          res.status,
          `${describeInput(path, bad)}: ${body.slice(0, 200)}`,
        ).toBeGreaterThanOrEqual(400);
        expect(res.status, `${describeInput(path, bad)}: ${body.slice(0, 200)}`).toBeLessThan(500);
      }
    }
    expect(calls).toBeGreaterThan(500);
    // The calls were read and their input refused, not turned away for who sent them.
    expect(inputRefused / calls).toBeGreaterThan(0.9);
    expect(await snapshotAccount(rt, a.account.id)).toEqual(before);
  }, 120_000); // hundreds of sequential requests: more than the default 30 s on a busy machine

  it("over HTTP with an API key: every procedure a key may call answers 4xx and writes nothing", async () => {
    const before = await snapshotAccount(rt, a.account.id);
    const inputs = inputsAgainst(a);
    // No Origin: a service, not a page, and the key is all it shows.
    const headers = { authorization: `Bearer ${a.apiKeySecret}` };
    const declared = proceduresWithInput().filter(
      (p) => p.type !== "subscription" && apiKeyScopeOf(p.path),
    );
    expect(declared.length).toBeGreaterThan(20);
    let calls = 0;
    let inputRefused = 0;
    for (const { path, type } of declared) {
      for (const bad of badInputs(path, inputs[path], a, { oversized: false })) {
        const url = `${server.url}/api/trpc/${path}`;
        const res =
          type === "query"
            ? await fetch(`${url}?input=${encodeURIComponent(JSON.stringify(bad))}`, { headers })
            : await fetch(url, {
                method: "POST",
                headers: { ...headers, "content-type": "application/json" },
                body: JSON.stringify(bad),
              });
        const body = await res.text();
        calls++;
        if (res.status === 400) inputRefused++;
        const what = `${describeInput(path, bad)}: ${body.slice(0, 200)}`;
        expect(res.status, what).toBeGreaterThanOrEqual(400);
        expect(res.status, what).toBeLessThan(500);
      }
    }
    expect(calls).toBeGreaterThan(200);
    expect(inputRefused / calls).toBeGreaterThan(0.9);
    expect(await snapshotAccount(rt, a.account.id)).toEqual(before);
  }, 120_000);

  it("over the websocket: every procedure answers a client error and writes nothing", async () => {
    const before = await snapshotAccount(rt, a.account.id);
    const inputs = inputsAgainst(a);
    const node = { wsUrl: `${server.url.replace(/^http/, "ws")}/api/trpc-ws` };
    const agent = liveClient(node, { cookie: a.admin.cookieHeader() });
    const visitor = liveClient(node, { widgetToken: a.visitor.sessionToken });
    let calls = 0;
    let inputRefused = 0;
    try {
      for (const { path, type } of proceduresWithInput()) {
        const client = path.startsWith("widget.") ? visitor : agent;
        for (const bad of badInputs(path, inputs[path], a, { oversized: false })) {
          calls++;
          const status = await callOverSocket(client, path, type, bad);
          if (status === 400) inputRefused++;
          expect(status, describeInput(path, bad)).toBeGreaterThanOrEqual(400);
          expect(status, describeInput(path, bad)).toBeLessThan(500);
        }
      }
    } finally {
      agent.close();
      visitor.close();
    }
    expect(calls).toBeGreaterThan(500);
    expect(inputRefused / calls).toBeGreaterThan(0.9);
    expect(await snapshotAccount(rt, a.account.id)).toEqual(before);
  });
});

type Procedure = {
  query(input: unknown): Promise<unknown>;
  mutate(input: unknown): Promise<unknown>;
  subscribe(
    input: unknown,
    handlers: { onStarted(): void; onError(error: unknown): void; onData(): void },
  ): { unsubscribe(): void };
};

/** The HTTP status of the error the call ended with; a call that succeeds fails the test. */
async function callOverSocket(
  client: LiveClient,
  path: string,
  type: string,
  input: unknown,
): Promise<number> {
  const [ns, name] = path.split(".") as [string, string];
  const procedure = (client.trpc as unknown as Record<string, Record<string, Procedure>>)[ns]?.[
    name
  ];
  if (!procedure) throw new Error(`no procedure ${path}`);
  const statusOf = (error: unknown) => {
    if (!(error instanceof TRPCClientError)) throw error;
    return (error.data as { httpStatus?: number } | undefined)?.httpStatus ?? 0;
  };
  if (type === "subscription") {
    // Refused input ends the subscription with an error before it starts.
    return new Promise<number>((resolve, reject) => {
      const sub = procedure.subscribe(input, {
        onStarted: () => {
          sub.unsubscribe();
          reject(new Error(`${describeInput(path, input)} was accepted`));
        },
        onData: () => {},
        onError: (error) => {
          sub.unsubscribe();
          try {
            resolve(statusOf(error));
          } catch (e) {
            reject(e);
          }
        },
      });
    });
  }
  try {
    await (type === "query" ? procedure.query(input) : procedure.mutate(input));
  } catch (error) {
    return statusOf(error);
  }
  throw new Error(`${describeInput(path, input)} was accepted`);
}
