// An agent's open websocket keeps only the authority the database gives it
// now. Two Netia server processes share Postgres and Redis; the agent's socket
// (with a live dashboard.events subscription) is on node B, and the change is
// made through node A: disabling the agent, logging out, revoking the session
// from another one, demoting an admin. Each time the subscription ends with the
// socket (close code 4001), nothing more is served on it, a socket opened again
// with the same cookie gets what the cookie is worth now, and other people's
// sockets on B are untouched. A socket opened with an API key ends the same
// way when the key is revoked on A.
import {
  client,
  createTestRuntime,
  signUpAccount,
  testConfig,
  testDatabaseKind,
  tokenOfLink,
  uniqueEmail,
} from "@netia/api/testing";
import { redisReachable, testRedisUrl } from "@netia/testkit/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { type NetiaNode, SHARED_SECRET, startNode } from "./nodes";

const ready = testDatabaseKind() === "postgres" && (await redisReachable());
if (!ready && process.env.CI === "true") {
  throw new Error("the websocket authority tests need Postgres and Redis; CI requires both");
}

type Reply = {
  id: number;
  result?: { type: "started" | "stopped" | "data"; data?: unknown };
  error?: { message: string; data?: { code?: string } };
};

/** A raw tRPC websocket: no client library that would reconnect and hide a close. */
async function openSocket(node: NetiaNode, cookie: string, apiKey?: string) {
  // A key goes in the connection params: announced in the URL, sent as the first message.
  const ws = apiKey
    ? new WebSocket(`${node.wsUrl}?connectionParams=1`)
    : new WebSocket(node.wsUrl, { headers: { cookie, origin: node.httpUrl } });
  const replies: Reply[] = [];
  const waiters: (() => void)[] = [];
  ws.on("message", (data) => {
    // The server's keep-alive.
    if (String(data) === "PING") return ws.send("PONG");
    replies.push(JSON.parse(String(data)) as Reply);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once("close", (code, reason) => resolve({ code, reason: String(reason) })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  if (apiKey) ws.send(JSON.stringify({ method: "connectionParams", data: { apiKey } }));
  let nextId = 1;
  /** The first reply to call `id` that satisfies `check`. */
  const replyTo = (id: number, check: (r: Reply) => boolean = () => true) =>
    new Promise<Reply>((resolve, reject) => {
      const look = () => {
        const found = replies.find((r) => r.id === id && check(r));
        if (found) return resolve(found);
        if (ws.readyState === WebSocket.CLOSED) return reject(new Error("socket closed"));
        waiters.push(look);
      };
      ws.once("close", () => look());
      look();
    });
  return {
    ws,
    closed,
    replies,
    /** Sends a query or mutation and waits for its answer. */
    async call(method: "query" | "mutation", path: string, input?: unknown) {
      const id = nextId++;
      ws.send(JSON.stringify({ id, method, params: { path, input } }));
      return replyTo(id);
    },
    /** Starts dashboard.events and waits for its first event. */
    async subscribeDashboard() {
      const id = nextId++;
      ws.send(
        JSON.stringify({
          id,
          method: "subscription",
          params: { path: "dashboard.events", input: {} },
        }),
      );
      await replyTo(id, (r) => r.result?.type === "data");
      return id;
    },
    close: () => ws.close(),
  };
}

type Socket = Awaited<ReturnType<typeof openSocket>>;

const code = (reply: Reply) => reply.error?.data?.code ?? (reply.result ? "OK" : "?");

describe.runIf(ready)("websocket authority across two nodes", () => {
  let nodeA: NetiaNode;
  let nodeB: NetiaNode;
  let rt: Awaited<ReturnType<typeof createTestRuntime>>;
  const env = () => ({
    DATABASE_URL: process.env.NETIA_TEST_DATABASE_URL ?? "",
    REDIS_URL: testRedisUrl,
    POOL_SIZE: "4",
  });

  beforeAll(async () => {
    // Same secret as the nodes, so they accept the session cookies signed here.
    rt = await createTestRuntime({ config: testConfig({ SECRET_KEY_BASE: SHARED_SECRET }) });
    [nodeA, nodeB] = await Promise.all([startNode("a", env()), startNode("b", env())]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await rt?.database.close();
  }, 30_000);

  /** A tRPC mutation over HTTP to node A, as the dashboard sends it. */
  async function mutateOnA(path: string, input: unknown, cookie: string) {
    const res = await fetch(`${nodeA.httpUrl}/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, origin: nodeA.httpUrl },
      body: JSON.stringify(input ?? null),
    });
    expect(res.status, await res.clone().text()).toBe(200);
  }

  /**
   * An account whose admin watches on node B (an unaffected bystander), and
   * member C with the role given, logged in (with a second session too).
   */
  async function scene(role: "admin" | "agent") {
    const { admin } = await signUpAccount(rt);
    const email = uniqueEmail("c");
    const { url } = await admin.team.invite({ email, role });
    const c = client(rt);
    const { user } = await c.auth.acceptInvitation({
      token: tokenOfLink(url),
      name: "C",
      password: "c password 123",
    });
    const second = client(rt);
    await second.auth.logIn({ email, password: "c password 123" });
    const bystander = await openSocket(nodeB, admin.cookieHeader());
    await bystander.subscribeDashboard();
    return {
      adminCookie: admin.cookieHeader(),
      userId: user.id,
      cookie: c.cookieHeader(),
      otherSessionCookie: second.cookieHeader(),
      bystander,
    };
  }

  /** C's socket on B: subscribed, and served, before the change. */
  async function watchingOnB(cookie: string) {
    const socket = await openSocket(nodeB, cookie);
    const subscription = await socket.subscribeDashboard();
    expect(code(await socket.call("query", "team.list"))).toBe("OK");
    return { socket, subscription };
  }

  /** The socket was closed for its authority, and the bystander's still works. */
  async function expectEnded(watched: Socket, bystander: Socket) {
    const { code: closeCode } = await watched.closed;
    expect(closeCode).toBe(4001);
    expect(watched.ws.readyState).toBe(WebSocket.CLOSED);
    // Nothing can be called on it any more.
    await expect(watched.call("query", "team.list")).rejects.toThrow();
    expect(code(await bystander.call("query", "team.list"))).toBe("OK");
    bystander.close();
  }

  it("disabling a member (on A) ends their socket on B; the cookie no longer opens one", async () => {
    const s = await scene("agent");
    const { socket } = await watchingOnB(s.cookie);
    await mutateOnA("team.setDisabled", { userId: s.userId, disabled: true }, s.adminCookie);
    await expectEnded(socket, s.bystander);
    const again = await openSocket(nodeB, s.cookie);
    expect(code(await again.call("query", "team.list"))).toBe("UNAUTHORIZED");
    again.close();
  });

  it("logging out over HTTP on A ends the sockets of that session on B", async () => {
    const s = await scene("agent");
    const { socket } = await watchingOnB(s.cookie);
    const otherSession = await watchingOnB(s.otherSessionCookie);
    await mutateOnA("auth.logOut", null, s.cookie);
    await expectEnded(socket, s.bystander);
    const again = await openSocket(nodeB, s.cookie);
    expect(code(await again.call("query", "messages.list", { conversationId: "x" }))).toBe(
      "UNAUTHORIZED",
    );
    again.close();
    // Another session of the same person was not logged out.
    expect(code(await otherSession.socket.call("query", "team.list"))).toBe("OK");
    otherSession.socket.close();
  });

  it("revoking a session from another one (on A) ends its socket on B", async () => {
    const s = await scene("agent");
    const { socket } = await watchingOnB(s.cookie);
    await mutateOnA("auth.logOutOtherSessions", null, s.otherSessionCookie);
    await expectEnded(socket, s.bystander);
    const again = await openSocket(nodeB, s.cookie);
    expect(code(await again.call("query", "team.list"))).toBe("UNAUTHORIZED");
    again.close();
  });

  it("demoting an admin (on A) ends their socket on B; they can neither read secrets nor promote themself", async () => {
    const s = await scene("admin");
    const { socket } = await watchingOnB(s.cookie);
    const inboxes = (await socket.call("query", "inboxes.list")).result?.data as { id: string }[];
    const inboxId = inboxes[0]?.id;
    expect(code(await socket.call("query", "inboxes.get", { id: inboxId }))).toBe("OK");
    await mutateOnA("team.updateRole", { userId: s.userId, role: "agent" }, s.adminCookie);
    // Before or after the announcement arrives, the old socket gets no admin call through.
    const promote = socket
      .call("mutation", "team.updateRole", { userId: s.userId, role: "admin" })
      .catch(() => ({ id: 0, error: { message: "closed", data: { code: "CLOSED" } } }) as Reply);
    expect(["FORBIDDEN", "CLOSED"]).toContain(code(await promote));
    await expectEnded(socket, s.bystander);
    const again = await openSocket(nodeB, s.cookie);
    const secret = await again.call("query", "inboxes.get", { id: inboxId });
    expect(code(secret)).toBe("FORBIDDEN");
    expect(JSON.stringify(secret)).not.toContain("identitySecret");
    expect(
      code(await again.call("mutation", "team.updateRole", { userId: s.userId, role: "admin" })),
    ).toBe("FORBIDDEN");
    // Still an agent: the inbox stays open to them.
    expect(code(await again.call("query", "team.list"))).toBe("OK");
    again.close();
    const members = await fetch(`${nodeA.httpUrl}/api/trpc/team.list`, {
      headers: { cookie: s.adminCookie },
    }).then((r) => r.json() as Promise<{ result: { data: { userId: string; role: string }[] } }>);
    expect(members.result.data.find((m) => m.userId === s.userId)?.role).toBe("agent");
  });

  it("revoking an API key (on A) ends the sockets opened with it on B; B refuses it over HTTP", async () => {
    const s = await scene("agent");
    const owner = client(rt, { cookie: s.cookie });
    const { key, secret } = await owner.apiKeys.create({ label: "service", scopes: ["read"] });
    const kept = await owner.apiKeys.create({ label: "kept", scopes: ["read"] });
    const socket = await openSocket(nodeB, "", secret);
    await socket.subscribeDashboard();
    expect(code(await socket.call("query", "team.list"))).toBe("OK");
    const other = await openSocket(nodeB, "", kept.secret);
    await other.subscribeDashboard();
    await mutateOnA("apiKeys.revoke", { id: key.id }, s.cookie);
    await expectEnded(socket, s.bystander);
    const overHttp = await fetch(`${nodeB.httpUrl}/api/trpc/team.list`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(overHttp.status).toBe(401);
    const again = await openSocket(nodeB, "", secret);
    expect(code(await again.call("query", "team.list"))).toBe("UNAUTHORIZED");
    again.close();
    // The owner's other key was not revoked.
    expect(code(await other.call("query", "team.list"))).toBe("OK");
    other.close();
  });
});
