// Booting and stopping real server processes (`node --import tsx server.ts`):
// each misconfiguration stops the server at once with one ERROR line and no
// stack trace; two nodes booting together on an empty database both migrate
// it (advisory lock) and relay a widget message from one to an agent on the
// other through Redis; SIGTERM with a websocket open exits 0 within 10 s.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestRuntime, signUpAccount, testConfig } from "@netia/api/testing";
import { createDatabase, migrationStatus } from "@netia/db";
import { createScratchDatabase, postgresReachable } from "@netia/testkit/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collector, freePort, liveClient, type NetiaNode, SHARED_SECRET, startNode } from "./nodes";

const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), "../..");
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const CI = process.env.CI === "true";
const GOOD_SECRET = "boot-test-secret-".padEnd(64, "b");

type Boot = { code: number | null; output: string; errorLines: string[] };

/** Runs the server with exactly `env` (plus PATH) until it exits by itself. */
async function bootUntilExit(env: Record<string, string>, timeoutMs = 60_000): Promise<Boot> {
  // Nothing from the test run's own environment (NODE_ENV=test, CI) leaks in.
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    PORT: String(await freePort()),
    HOST: "127.0.0.1",
    NETIA_DATA_DIR: mkdtempSync(join(tmpdir(), "netia-boot-")),
    NEXT_TELEMETRY_DISABLED: "1",
    ...env,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
      cwd: APP_DIR,
      // Next's types declare NODE_ENV always set; some of these boots leave it unset.
      env: childEnv as unknown as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const chunks: string[] = [];
    child.stdout.on("data", (d: Buffer) => chunks.push(d.toString()));
    child.stderr.on("data", (d: Buffer) => chunks.push(d.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`still running after ${timeoutMs} ms:\n${chunks.join("")}`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      const output = chunks.join("");
      const errorLines = output.split("\n").filter((line) => line.includes("ERROR"));
      resolve({ code, output, errorLines });
    });
  });
}

async function redisReachable(): Promise<boolean> {
  const { Redis } = await import("ioredis");
  const probe = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on("error", () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const servicesUp = (await postgresReachable()) && (await redisReachable());
if (!servicesUp && CI) {
  throw new Error("boot tests need Postgres and Redis; CI requires both");
}

describe("a misconfigured server stops at once with one ERROR line", () => {
  const production = { NODE_ENV: "production", SECRET_KEY_BASE: GOOD_SECRET };
  const cases: {
    name: string;
    env: Record<string, string>;
    line: RegExp;
    code: number;
  }[] = [
    {
      name: "short SECRET_KEY_BASE in production",
      env: { ...production, SECRET_KEY_BASE: "too-short" },
      line: /^ERROR SECRET_KEY_BASE must be at least 64 bytes \(got 9\)/,
      code: 1,
    },
    {
      name: "missing SECRET_KEY_BASE in production",
      env: { NODE_ENV: "production" },
      line: /^ERROR SECRET_KEY_BASE is required in production/,
      code: 1,
    },
    {
      name: "MIX_ENV=prod without SECRET_KEY_BASE",
      env: { MIX_ENV: "prod" },
      line: /^ERROR SECRET_KEY_BASE is required in production/,
      code: 1,
    },
    {
      name: "DATABASE_URL in another scheme",
      env: { ...production, DATABASE_URL: "ecto://postgres:secret@127.0.0.1:5432/netia" },
      line: /^ERROR DATABASE_URL must start with postgresql:\/\/ or postgres:\/\/ \(got ecto:\/\/\)$/,
      code: 1,
    },
    {
      name: "DATABASE_URL host unreachable",
      env: { ...production, DATABASE_URL: "postgres://postgres@127.0.0.1:1/netia" },
      line: /^ERROR cannot reach the database \(ECONNREFUSED\): check DATABASE_URL/,
      // docker-entrypoint.sh retries on this status.
      code: 3,
    },
    {
      name: "REDIS_URL unreachable",
      env: { ...production, REDIS_URL: "redis://127.0.0.1:1" },
      line: /^ERROR cannot reach Redis at 127\.0\.0\.1:1 \(.*ECONNREFUSED.*\): check REDIS_URL/,
      code: 1,
    },
    {
      name: "LLM_TEMPERATURE=hot",
      env: { ...production, LLM_TEMPERATURE: "hot" },
      line: /^ERROR LLM_TEMPERATURE must be a number from 0 to 2$/,
      code: 1,
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const boot = await bootUntilExit(c.env);
      expect(boot.errorLines, boot.output).toHaveLength(1);
      expect(boot.errorLines[0]).toMatch(c.line);
      expect(boot.code, boot.output).toBe(c.code);
      expect(boot.output).not.toContain("    at ");
      expect(boot.output).not.toMatch(/listening on/);
    }, 90_000);
  }
});

describe.runIf(servicesUp)("two nodes booting together on an empty database", () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let nodeA: NetiaNode | undefined;
  let nodeB: NetiaNode | undefined;
  let rt: Awaited<ReturnType<typeof createTestRuntime>> | undefined;

  beforeAll(async () => {
    scratch = await createScratchDatabase("netia_boot");
    const env = { DATABASE_URL: scratch.url, REDIS_URL, POOL_SIZE: "3" };
    // Both at once: each runs the migrations, one after the other under the advisory lock.
    [nodeA, nodeB] = await Promise.all([startNode("boot-a", env), startNode("boot-b", env)]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await rt?.database.close();
    await scratch?.drop();
  }, 60_000);

  it("both come up healthy, with every migration applied once", async () => {
    for (const node of [nodeA, nodeB] as NetiaNode[]) {
      const res = await fetch(`${node.httpUrl}/api/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        status: "ok",
        database: "up",
        events: { kind: "redis", status: "up" },
      });
      expect((await fetch(`${node.httpUrl}/api/health/live`)).status).toBe(200);
      expect(node.output.join(""), node.name).not.toMatch(/ERROR/);
    }
    const database = createDatabase({
      kind: "postgres",
      url: scratch.url,
      ssl: false,
      poolSize: 1,
    });
    try {
      const status = await migrationStatus(database);
      expect(status.length).toBeGreaterThan(0);
      expect(status.every((m) => m.applied)).toBe(true);
      const { rows } = (await database.db.execute(
        "select hash, count(*)::int as n from drizzle.__drizzle_migrations group by hash having count(*) > 1",
      )) as unknown as { rows: unknown[] };
      expect(rows).toEqual([]);
    } finally {
      await database.close();
    }
  });

  it("relays a widget message sent through node A to an agent subscribed on node B", async () => {
    const a = nodeA as NetiaNode;
    const b = nodeB as NetiaNode;
    rt = await createTestRuntime({
      database: createDatabase({ kind: "postgres", url: scratch.url, ssl: false, poolSize: 2 }),
      config: testConfig({ SECRET_KEY_BASE: SHARED_SECRET }),
    });
    const { admin, account } = await signUpAccount(rt);

    const agent = liveClient(b, { cookie: admin.cookieHeader() });
    const events = collector<{ type: string; message?: { body: string } }>();
    const sub = agent.trpc.dashboard.events.subscribe({}, events);
    await events.until((e) => e.some((x) => x.type === "presence.snapshot"));

    const anonymous = liveClient(a);
    const visitor = await anonymous.trpc.widget.identify.mutate({
      accountToken: account.id,
      visitorId: `visitor-${randomUUID()}`,
    });
    anonymous.close();
    const widget = liveClient(a, { widgetToken: visitor.sessionToken });
    const body = `hello across nodes ${randomUUID()}`;
    await widget.trpc.widget.sendMessage.mutate({ body, clientMessageId: randomUUID() });
    await events.until((e) =>
      e.some((x) => x.type === "message.created" && x.message?.body === body),
    );

    sub.unsubscribe();
    agent.close();
    widget.close();
  }, 60_000);
});

describe("SIGTERM", () => {
  it("stops a node with an open websocket subscription: exit 0 within 10 s", async () => {
    // The run's Postgres when there is one, else the embedded database.
    const databaseUrl = process.env.NETIA_TEST_DATABASE_URL;
    const node = await startNode("sigterm", databaseUrl ? { DATABASE_URL: databaseUrl } : {});
    try {
      // Sign up over HTTP (tRPC, no transformer: the input is the JSON body).
      const res = await fetch(`${node.httpUrl}/api/trpc/auth.signUp`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          name: "Stopping",
          email: `sigterm-${randomUUID()}@test.netia.dev`,
          password: "correct horse battery",
          companyName: "Sigterm Inc",
        }),
      });
      expect(res.status).toBe(200);
      const cookie = res.headers
        .getSetCookie()
        .map((line) => line.split(";")[0])
        .join("; ");
      expect(cookie).not.toBe("");

      const agent = liveClient(node, { cookie });
      const events = collector<{ type: string }>();
      agent.trpc.dashboard.events.subscribe({}, events);
      await events.until((e) => e.some((x) => x.type === "presence.snapshot"));

      const started = Date.now();
      const code = await Promise.race([
        node.stop("SIGTERM"),
        new Promise<string>((resolve) => setTimeout(() => resolve("still running"), 10_000)),
      ]);
      const elapsed = Date.now() - started;
      agent.close();
      expect(code, node.output.join("")).toBe(0);
      expect(elapsed).toBeLessThan(10_000);
      expect(node.output.join("")).not.toMatch(/ERROR/);
    } finally {
      node.child.kill("SIGKILL");
    }
  }, 180_000);
});
