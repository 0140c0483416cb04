// Limits through the real server (the production build in CI): rate-limit
// rejections reach HTTP clients as 429 with Retry-After (the route bundle and
// the server's runtime share no AppError class), and websocket clients as 429;
// the client address comes from X-Forwarded-For only through a trusted proxy;
// a 10 MB upload does not hold up other requests.
//
// The server trusts the proxy at 127.0.0.1 (TRUST_PROXY). Requests sent from
// 127.0.0.2-4 stand for clients on the internet connecting directly.
import { request } from "node:http";
import type { AppRouter } from "@netia/api";
import { newVisitor, signUpAccount } from "@netia/api/testing";
import { createTRPCClient, createWSClient, TRPCClientError, wsLink } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startWebServer, type WebServer } from "./harness";

const PROXY = "127.0.0.1";
const WIDGET_PER_IP = 5;
const LOGIN_FAILS_PER_EMAIL_IP = 3;

let web: WebServer;
let account: Awaited<ReturnType<typeof signUpAccount>>;
beforeAll(async () => {
  web = await startWebServer("limits", {
    env: { TRUST_PROXY: PROXY },
    // The embedded database, as `npm start` runs: its queries run on the server's own thread.
    embedded: true,
    rateLimits: {
      signUpPerIp: 1000,
      loginPerIp: 1000,
      loginFailsPerEmailIp: LOGIN_FAILS_PER_EMAIL_IP,
      loginFailsPerIp: 1000,
      widgetPerIp: WIDGET_PER_IP,
      widgetPerAccount: 1_000_000,
    },
  });
  account = await signUpAccount(web.runtime);
}, 240_000);
afterAll(async () => {
  await web?.close();
});

type Reply = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
};

/** One HTTP request from the local address `from`, on a connection of its own. */
function send(
  from: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  const url = new URL(path, web.server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? "GET",
        localAddress: from,
        agent: false,
        headers: { origin: web.server.url, ...options.headers },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

const logIn = (from: string, forwardedFor: string, password: string) =>
  send(from, "/api/trpc/auth.logIn", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
    body: JSON.stringify({ email: account.email, password }),
  });

const widgetConfig = (from: string, forwardedFor?: string) =>
  send(
    from,
    `/api/trpc/widget.config?input=${encodeURIComponent(JSON.stringify({ accountToken: account.account.id }))}`,
    { headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {} },
  );

function expectTooManyRequests(reply: Reply) {
  expect(reply.status, reply.body).toBe(429);
  expect(Number(reply.headers["retry-after"])).toBeGreaterThan(0);
  expect(JSON.parse(reply.body)).toMatchObject({
    error: { data: { code: "TOO_MANY_REQUESTS", httpStatus: 429 } },
  });
}

describe("over HTTP, from a client that is not a trusted proxy", () => {
  it("answers widget.config past the per-IP limit with 429 and Retry-After, never 500", async () => {
    for (let i = 0; i < WIDGET_PER_IP; i++) {
      expect((await widgetConfig("127.0.0.5")).status).toBe(200);
    }
    expectTooManyRequests(await widgetConfig("127.0.0.5"));
  });

  it("locks out repeated failed logins with 429, whatever X-Forwarded-For says", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_FAILS_PER_EMAIL_IP; i++) {
      statuses.push((await logIn("127.0.0.2", `198.51.100.${i}`, `guess ${i}`)).status);
    }
    expect(statuses).toEqual(Array(LOGIN_FAILS_PER_EMAIL_IP).fill(401));
    expectTooManyRequests(await logIn("127.0.0.2", "198.51.100.99", "one more guess"));

    // The agent, from another address, is not locked out.
    expect((await logIn("127.0.0.3", "198.51.100.1", account.password)).status).toBe(200);
  });

  it("answers widget.config past the per-IP limit with 429, whatever X-Forwarded-For says", async () => {
    for (let i = 0; i < WIDGET_PER_IP; i++) {
      expect((await widgetConfig("127.0.0.2", `203.0.113.${i}`)).status).toBe(200);
    }
    expectTooManyRequests(await widgetConfig("127.0.0.2", "203.0.113.200"));
  });
});

describe("through the trusted proxy", () => {
  it("counts the forwarded client, the address the proxy appended", async () => {
    for (let i = 0; i < WIDGET_PER_IP; i++) {
      // What a client wrote before the proxy's own entry changes nothing.
      expect((await widgetConfig(PROXY, `10.9.9.${i}, 192.0.2.10`)).status).toBe(200);
    }
    expectTooManyRequests(await widgetConfig(PROXY, "192.0.2.10"));
    // Another client behind the same proxy has its own allowance.
    expect((await widgetConfig(PROXY, "192.0.2.11")).status).toBe(200);
  });
});

describe("over the websocket", () => {
  it("answers widget.config past the per-IP limit with 429 and the delay", async () => {
    class FromAddress extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        // A spoofed header on the upgrade request changes nothing either.
        super(url, protocols, {
          localAddress: "127.0.0.4",
          headers: { "x-forwarded-for": "198.51.100.77" },
        });
      }
    }
    const ws = createWSClient({
      url: `${web.server.url.replace(/^http/, "ws")}/api/trpc-ws`,
      WebSocket: FromAddress as unknown as typeof globalThis.WebSocket,
    });
    const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] });
    try {
      for (let i = 0; i < WIDGET_PER_IP; i++) {
        await trpc.widget.config.query({ accountToken: account.account.id });
      }
      const refused = await trpc.widget.config.query({ accountToken: account.account.id }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(TRPCClientError);
      expect((refused as TRPCClientError<AppRouter>).data).toMatchObject({
        code: "TOO_MANY_REQUESTS",
        httpStatus: 429,
        retryAfter: expect.any(Number),
      });
    } finally {
      ws.close();
    }
  });
});

describe("a 10 MB upload", () => {
  it("does not hold up /api/health/live: it answers before the upload completes", async () => {
    const client = "192.0.2.50";
    const visitor = await newVisitor(web.runtime, account.account.id);
    expect((await send(PROXY, "/api/health/live")).status).toBe(200);

    const finished: string[] = [];
    const mib = 1024 * 1024;
    // Nine pieces: eight of 1 MiB, then the last 2 MiB.
    const pieces = [...Array(8).fill(Buffer.alloc(mib, 0x25)), Buffer.alloc(2 * mib, 0x26)];
    const req = request(new URL("/api/attachments", web.server.url), {
      method: "POST",
      localAddress: PROXY,
      agent: false,
      headers: {
        origin: web.server.url,
        "x-forwarded-for": client,
        "content-type": "application/pdf",
        "content-length": String(10 * mib),
        "x-netia-widget-token": visitor.sessionToken,
        "x-netia-filename": "big.pdf",
      },
    });
    const uploaded = new Promise<Reply>((resolve, reject) => {
      req.on("error", reject);
      req.on("response", (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => {
          finished.push("upload");
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      });
    });
    const write = (piece: Buffer) =>
      new Promise<void>((done, fail) =>
        req.write(piece, (error) => (error ? fail(error) : done())),
      );
    // A piece at a time, each followed by a liveness check, so the server keeps up
    // with the body instead of finding it all in its socket buffer at the end.
    for (const piece of pieces.slice(0, -1)) {
      await write(piece);
      expect((await send(PROXY, "/api/health/live")).status).toBe(200);
    }
    // Storage is under way (the file is not complete: its last piece is not even
    // sent) while the server answers.
    const { rows } = (await web.runtime.db.execute(
      `select a.id, a.size, (select count(*)::int from attachment_chunks c where c.attachment_id = a.id) as chunks
       from attachments a where a.uploaded_by_customer_id = '${visitor.customerId}'`,
    )) as unknown as { rows: { id: string; size: number; chunks: number }[] };
    const partial = rows[0];
    expect(rows).toHaveLength(1);
    expect(partial?.size).toBe(0);
    expect(partial?.chunks).toBeGreaterThan(0);
    req.end(pieces.at(-1));
    // Asked with the last piece: the server is still storing it.
    const health = await send(PROXY, "/api/health/live");
    finished.push("health");
    const upload = await uploaded;
    expect(health.status).toBe(200);
    expect(upload.status, upload.body).toBe(201);
    expect(finished).toEqual(["health", "upload"]);
    expect(JSON.parse(upload.body)).toMatchObject({ id: partial?.id, size: 10 * mib });
  });
});
