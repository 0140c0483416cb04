// What one Netia server refuses at its edge, tried as a browser on another site
// (or a greedy client) would, against a real server process:
// - cookie-authenticated writes from another site (every mutation route, as a
//   form post in multipart and text/plain, and as JSON), agents' uploads from
//   another site, and a websocket opened from another site with the cookie;
// - while the widget keeps working cross-origin with its bearer token;
// - more calls in one HTTP batch, or subscriptions on one socket, than limits.ts allows;
// - and every page carries the security headers.
import { randomUUID } from "node:crypto";
import { appRouter, MAX_CALLS_PER_BATCH, MAX_SUBSCRIPTIONS_PER_SOCKET } from "@netia/api";
import { createTestRuntime, signUpAccount, testConfig, testDatabaseKind } from "@netia/api/testing";
import { redisReachable, testRedisUrl } from "@netia/testkit/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { type NetiaNode, SHARED_SECRET, startNode } from "./nodes";

const ready = testDatabaseKind() === "postgres" && (await redisReachable());
if (!ready && process.env.CI === "true") {
  throw new Error("the HTTP guard tests need Postgres and Redis; CI requires both");
}

const EVIL = "https://evil.example";
// The dashboard's public URL is https (behind a TLS proxy): cookies Secure, HSTS on.
const PUBLIC_URL = "https://netia.example";

const mutations = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
)
  .filter(([, procedure]) => procedure._def.type === "mutation")
  .map(([path]) => path);
/** Widget calls authenticate by bearer token and come from customers' sites. */
const cookieMutations = mutations.filter((path) => !path.startsWith("widget."));

describe.runIf(ready)("HTTP and websocket guards", () => {
  let node: NetiaNode;
  let rt: Awaited<ReturnType<typeof createTestRuntime>>;
  let cookie: string;
  let accountId: string;

  beforeAll(async () => {
    const env = { SECRET_KEY_BASE: SHARED_SECRET, REACT_APP_URL: PUBLIC_URL };
    rt = await createTestRuntime({ config: testConfig(env) });
    node = await startNode("guards", {
      ...env,
      DATABASE_URL: process.env.NETIA_TEST_DATABASE_URL ?? "",
      REDIS_URL: testRedisUrl,
      POOL_SIZE: "4",
    });
    const { admin, account } = await signUpAccount(rt);
    cookie = admin.cookieHeader();
    accountId = account.id;
  }, 240_000);

  afterAll(async () => {
    await node?.stop();
    await rt?.database.close();
  }, 30_000);

  const post = (path: string, init: { headers: Record<string, string>; body: BodyInit }) =>
    fetch(`${node.httpUrl}${path}`, { method: "POST", ...init });

  async function stillLoggedIn() {
    const res = await fetch(`${node.httpUrl}/api/trpc/auth.me`, { headers: { cookie } });
    const body = (await res.json()) as { result: { data: { user: { id: string } } | null } };
    return body.result.data !== null;
  }

  it("refuses every cookie mutation posted by a form on another site, multipart or text/plain", async () => {
    expect(cookieMutations).toContain("auth.logOut");
    expect(cookieMutations).toContain("team.setDisabled");
    for (const path of cookieMutations) {
      const form = new FormData();
      form.set("id", randomUUID());
      const multipart = await post(`/api/trpc/${path}`, {
        headers: { cookie, origin: EVIL },
        body: form,
      });
      expect(multipart.status, path).toBe(403);
      expect(await multipart.text(), path).toContain("Cross-site request refused");
      const text = await post(`/api/trpc/${path}`, {
        headers: { cookie, origin: EVIL, "content-type": "text/plain" },
        body: JSON.stringify({ id: randomUUID() }),
      });
      expect(text.status, path).toBeGreaterThanOrEqual(400);
      expect(text.status, path).toBeLessThan(500);
      const json = await post(`/api/trpc/${path}`, {
        headers: { cookie, origin: EVIL, "content-type": "application/json" },
        body: "{}",
      });
      expect(json.status, path).toBe(403);
    }
    // Without an Origin, a browser's Sec-Fetch-Site still tells the request is foreign.
    const bySite = await post("/api/trpc/auth.logOut", {
      headers: { cookie, "sec-fetch-site": "cross-site", "content-type": "application/json" },
      body: "{}",
    });
    expect(bySite.status).toBe(403);
    expect(await stillLoggedIn()).toBe(true);
  });

  it("accepts the same writes from Netia's own pages", async () => {
    const created = await post("/api/trpc/tags.create", {
      headers: { cookie, origin: node.httpUrl, "content-type": "application/json" },
      body: JSON.stringify({ name: `same-origin-${randomUUID()}` }),
    });
    expect(created.status).toBe(200);
    const fromPublicUrl = await post("/api/trpc/tags.create", {
      headers: {
        cookie,
        origin: PUBLIC_URL,
        "sec-fetch-site": "same-origin",
        "content-type": "application/json",
      },
      body: JSON.stringify({ name: `public-url-${randomUUID()}` }),
    });
    expect(fromPublicUrl.status).toBe(200);
  });

  it("refuses an agent's upload from another site but keeps the widget working cross-origin", async () => {
    const agentUpload = await post("/api/attachments", {
      headers: {
        cookie,
        origin: EVIL,
        "content-type": "text/plain",
        "x-netia-filename": "note.txt",
      },
      body: "hello",
    });
    expect(agentUpload.status).toBe(403);
    const ownUpload = await post("/api/attachments", {
      headers: {
        cookie,
        origin: node.httpUrl,
        "content-type": "text/plain",
        "x-netia-filename": "note.txt",
      },
      body: "hello",
    });
    expect(ownUpload.status).toBe(201);

    // The widget on a customer's site: cross-origin, bearer token, no cookie.
    const customerSite = "https://shop.example";
    const identify = await post("/api/trpc/widget.identify", {
      headers: { origin: customerSite, "content-type": "application/json" },
      body: JSON.stringify({ accountToken: accountId, visitorId: `visitor-${randomUUID()}` }),
    });
    expect(identify.status).toBe(200);
    const { sessionToken } = (
      (await identify.json()) as { result: { data: { sessionToken: string } } }
    ).result.data;
    const sent = await post("/api/trpc/widget.sendMessage", {
      headers: {
        origin: customerSite,
        authorization: `Bearer ${sessionToken}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ body: "from a customer's site", clientMessageId: randomUUID() }),
    });
    expect(sent.status).toBe(200);
    const upload = await post("/api/attachments", {
      headers: {
        origin: customerSite,
        "x-netia-widget-token": sessionToken,
        "content-type": "text/plain",
        "x-netia-filename": "order.txt",
      },
      body: "order 42",
    });
    expect(upload.status).toBe(201);
    expect(upload.headers.get("access-control-allow-origin")).toBe(customerSite);
  });

  it("gives a websocket opened from another site no session from the cookie", async () => {
    const ask = async (origin: string) => {
      const ws = new WebSocket(node.wsUrl, { headers: { cookie, origin } });
      await new Promise((resolve, reject) => {
        ws.once("open", resolve);
        ws.once("error", reject);
      });
      const reply = new Promise<{ error?: { data?: { code?: string } }; result?: unknown }>(
        (resolve) =>
          ws.on("message", (data) => String(data) !== "PING" && resolve(JSON.parse(String(data)))),
      );
      ws.send(JSON.stringify({ id: 1, method: "query", params: { path: "team.list" } }));
      const answer = await reply;
      ws.close();
      return answer.error?.data?.code ?? "OK";
    };
    expect(await ask(EVIL)).toBe("UNAUTHORIZED");
    expect(await ask(node.httpUrl)).toBe("OK");
  });

  it(`refuses an HTTP batch of more than ${MAX_CALLS_PER_BATCH} calls with a 400`, async () => {
    const batch = (n: number) =>
      fetch(
        `${node.httpUrl}/api/trpc/${Array.from({ length: n }, () => "auth.me").join(",")}?batch=1`,
        { headers: { cookie } },
      );
    const tooMany = await batch(MAX_CALLS_PER_BATCH + 1);
    expect(tooMany.status).toBe(400);
    expect(await tooMany.text()).toMatch(/batch/i);
    const allowed = await batch(MAX_CALLS_PER_BATCH);
    expect(allowed.status).toBe(200);
  });

  it(`refuses more than ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions on one websocket`, async () => {
    const ws = new WebSocket(node.wsUrl, { headers: { cookie, origin: node.httpUrl } });
    const replies: {
      id: number;
      result?: { type: string };
      error?: { message: string; data?: { code?: string } };
    }[] = [];
    ws.on("message", (data) => {
      if (String(data) === "PING") return ws.send("PONG");
      replies.push(JSON.parse(String(data)));
    });
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    const subscribe = (id: number) =>
      ws.send(
        JSON.stringify({
          id,
          method: "subscription",
          params: { path: "dashboard.events", input: {} },
        }),
      );
    const answered = async (id: number) => {
      for (;;) {
        const reply = replies.find((r) => r.id === id && (r.error || r.result?.type === "started"));
        if (reply) return reply;
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    for (let id = 1; id <= MAX_SUBSCRIPTIONS_PER_SOCKET; id++) subscribe(id);
    for (let id = 1; id <= MAX_SUBSCRIPTIONS_PER_SOCKET; id++) {
      expect((await answered(id)).result?.type).toBe("started");
    }
    const extra = MAX_SUBSCRIPTIONS_PER_SOCKET + 1;
    subscribe(extra);
    const refused = await answered(extra);
    expect(refused.error?.data?.code).toBe("TOO_MANY_REQUESTS");
    expect(refused.error?.message).toMatch(/at most/);
    // Stopping one makes room for another.
    ws.send(JSON.stringify({ id: 1, method: "subscription.stop" }));
    await new Promise<void>((resolve) => {
      const wait = () =>
        replies.some((r) => r.id === 1 && r.result?.type === "stopped")
          ? resolve()
          : setTimeout(wait, 10);
      wait();
    });
    subscribe(extra + 1);
    expect((await answered(extra + 1)).result?.type).toBe("started");
    ws.close();
  });

  it("serves dashboard pages with a nonce CSP that forbids framing, nosniff, a referrer policy and HSTS", async () => {
    for (const path of ["/login", "/inbox"]) {
      const res = await fetch(`${node.httpUrl}${path}`, { headers: { cookie } });
      expect(res.status, path).toBe(200);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("frame-ancestors 'none'");
      const nonce = csp.match(/'nonce-([^']+)'/)?.[1];
      expect(nonce).toBeTruthy();
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
      // Next.js put this response's nonce on its scripts.
      const html = await res.text();
      expect(html).toContain(`nonce="${nonce}"`);
    }
    // The widget loader stays loadable by customers' pages.
    const loader = await fetch(`${node.httpUrl}/widget.js`, {
      headers: { origin: "https://shop.example" },
    });
    expect(loader.status).toBe(200);
  });
});
