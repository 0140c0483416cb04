// API keys: shown once and stored hashed, listed with their prefix and last
// use, acting as their owner within the key's scopes and the owner's current
// role, refused from the moment they are revoked or expire, rate limited per
// key. (Over real HTTP and websockets, through @netia/sdk: packages/sdk.)
import { randomUUID } from "node:crypto";
import { hashToken } from "@netia/core";
import { schema } from "@netia/db";
import type { Runtime } from "@netia/runtime";
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTHORITY_CHANGED_CLOSE_CODE } from "../limits";
import { createCaller } from "../root";
import {
  client,
  createTestRuntime,
  newVisitor,
  signUpAccount,
  tokenOfLink,
  uniqueEmail,
} from "../testing";
import { keyClient } from "../testing/fixtures";
import { createContext } from "../trpc";

let rt: Runtime;
beforeAll(async () => {
  rt = await createTestRuntime();
});
afterAll(async () => {
  await rt.database.close();
});

async function accountWithAgent() {
  const owner = await signUpAccount(rt);
  const { url } = await owner.admin.team.invite({ email: uniqueEmail("agent"), role: "agent" });
  const agent = client(rt);
  const { user: agentUser } = await agent.auth.acceptInvitation({
    token: tokenOfLink(url),
    name: "Agent",
    password: "agent password 1",
  });
  const visitor = await newVisitor(rt, owner.account.id);
  const { conversationId } = await visitor.widget.widget.sendMessage({
    body: "hello",
    clientMessageId: randomUUID(),
  });
  return { ...owner, agent, agentUser, conversationId };
}

async function keyRow(id: string) {
  const [row] = await rt.db.select().from(schema.apiKeys).where(eq(schema.apiKeys.id, id));
  if (!row) throw new Error("no such key");
  return row;
}

async function codeOf(call: Promise<unknown>): Promise<string> {
  return call.then(
    () => "OK",
    (error: unknown) => {
      if (error instanceof TRPCError) return error.code;
      throw error;
    },
  );
}

describe("creating and listing keys", () => {
  it("shows the secret once and stores only its hash", async () => {
    const { admin } = await accountWithAgent();
    const { key, secret } = await admin.apiKeys.create({ label: "CRM sync", scopes: ["read"] });
    expect(secret).toMatch(/^netia_live_[0-9a-f]{8}_[\w-]{43}$/);
    expect(key).toMatchObject({ label: "CRM sync", scopes: ["read"], lastUsedAt: null });
    expect(key.prefix).toBe(secret.slice(0, 19));
    const row = await keyRow(key.id);
    expect(row.secretHash).toBe(hashToken(secret));
    expect(JSON.stringify(row)).not.toContain(secret.slice(20));
    const listed = await admin.apiKeys.list();
    expect(listed.map((k) => k.id)).toEqual([key.id]);
    expect(JSON.stringify(listed)).not.toContain(secret.slice(20));
  });

  it("records the last use, at most once a minute", async () => {
    const { admin } = await accountWithAgent();
    const { key, secret } = await admin.apiKeys.create({ label: "x", scopes: ["read"] });
    const service = keyClient(rt, secret);
    await service.tags.list();
    const first = (await keyRow(key.id)).lastUsedAt;
    expect(first).toBeInstanceOf(Date);
    await service.tags.list();
    expect((await keyRow(key.id)).lastUsedAt).toEqual(first);
    // A minute later (moved back in the database instead of waiting), the next call records it.
    const earlier = new Date((first as Date).getTime() - 61_000);
    await rt.db
      .update(schema.apiKeys)
      .set({ lastUsedAt: earlier })
      .where(eq(schema.apiKeys.id, key.id));
    await service.tags.list();
    expect((await keyRow(key.id)).lastUsedAt?.getTime()).toBeGreaterThan(earlier.getTime());
    expect((await admin.apiKeys.list())[0]?.lastUsedAt).not.toBeNull();
  });

  it("lets an agent see and revoke only their own keys, an admin every key", async () => {
    const { admin, agent } = await accountWithAgent();
    const adminKey = await admin.apiKeys.create({ label: "admin's", scopes: ["read"] });
    const agentKey = await agent.apiKeys.create({ label: "agent's", scopes: ["read", "write"] });
    expect((await agent.apiKeys.list()).map((k) => k.label)).toEqual(["agent's"]);
    expect((await admin.apiKeys.list()).map((k) => k.label).sort()).toEqual(["admin's", "agent's"]);
    expect(await codeOf(agent.apiKeys.revoke({ id: adminKey.key.id }))).toBe("NOT_FOUND");
    expect((await keyRow(adminKey.key.id)).revokedAt).toBeNull();
    await admin.apiKeys.revoke({ id: agentKey.key.id });
    expect((await keyRow(agentKey.key.id)).revokedAt).toBeInstanceOf(Date);
    // Revoking again changes nothing and is no error.
    await admin.apiKeys.revoke({ id: agentKey.key.id });
  });

  it("keeps the admin scope for admins", async () => {
    const { agent } = await accountWithAgent();
    await expect(agent.apiKeys.create({ label: "x", scopes: ["admin"] })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("refuses a key every key-management call", async () => {
    const { admin } = await accountWithAgent();
    const { key, secret } = await admin.apiKeys.create({
      label: "x",
      scopes: ["read", "write", "admin"],
    });
    const service = keyClient(rt, secret);
    expect(await codeOf(service.apiKeys.create({ label: "y", scopes: ["read"] }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(service.apiKeys.revoke({ id: key.id }))).toBe("FORBIDDEN");
    expect(await codeOf(service.apiKeys.list())).toBe("FORBIDDEN");
  });
});

describe("calling with a key", () => {
  it("acts as its owner within its scopes, from any origin", async () => {
    const { admin, agent, agentUser, conversationId } = await accountWithAgent();
    const { secret } = await agent.apiKeys.create({ label: "bot", scopes: ["read", "write"] });
    // A service calls from no page of Netia's: the same-origin rule is for cookies.
    const service = client(rt, {
      headers: { authorization: `Bearer ${secret}`, origin: "https://elsewhere.example" },
    });
    const reply = await service.messages.reply({ conversationId, body: "from the API" });
    expect(reply.userId).toBe(agentUser.id);
    const tag = await service.tags.create({ name: "api" });
    await service.conversations.addTag({ conversationId, tagId: tag.id });
    expect((await admin.conversations.get({ id: conversationId })).tags.map((t) => t.name)).toEqual(
      ["api"],
    );
  });

  it("ignores the session cookie sent along with a key", async () => {
    const { admin } = await accountWithAgent();
    const withBadKey = client(rt, {
      cookie: admin.cookieHeader(),
      headers: { authorization: "Bearer netia_live_00000000_nothing" },
    });
    await expect(withBadKey.tags.list()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      message: "This API key is not valid: unknown, expired or revoked",
    });
  });

  it("is refused once revoked, once expired, and when its owner is disabled", async () => {
    const { admin, agent, agentUser } = await accountWithAgent();
    const revoked = await admin.apiKeys.create({ label: "r", scopes: ["read"] });
    const expiring = await admin.apiKeys.create({
      label: "e",
      scopes: ["read"],
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const agents = await agent.apiKeys.create({ label: "a", scopes: ["read"] });
    for (const { secret } of [revoked, expiring, agents]) {
      expect(await codeOf(keyClient(rt, secret).tags.list())).toBe("OK");
    }
    await admin.apiKeys.revoke({ id: revoked.key.id });
    await rt.db
      .update(schema.apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.apiKeys.id, expiring.key.id));
    await admin.team.setDisabled({ userId: agentUser.id, disabled: true });
    for (const { secret } of [revoked, expiring, agents]) {
      expect(await codeOf(keyClient(rt, secret).tags.list())).toBe("UNAUTHORIZED");
    }
  });

  it("loses the admin scope's reach when its owner is demoted", async () => {
    const owner = await accountWithAgent();
    const { url } = await owner.admin.team.invite({ email: uniqueEmail("adm"), role: "admin" });
    const second = client(rt);
    const { user } = await second.auth.acceptInvitation({
      token: tokenOfLink(url),
      name: "Second admin",
      password: "second password 1",
    });
    const { secret } = await second.apiKeys.create({ label: "x", scopes: ["read", "admin"] });
    const service = keyClient(rt, secret);
    expect(await codeOf(service.team.listInvitations())).toBe("OK");
    await owner.admin.team.updateRole({ userId: user.id, role: "agent" });
    expect(await codeOf(service.team.listInvitations())).toBe("FORBIDDEN");
    expect(await codeOf(service.team.list())).toBe("OK");
  });

  it("answers past the key's rate limit with TOO_MANY_REQUESTS and when to retry", async () => {
    const limited = await createTestRuntime({
      database: rt.database,
      rateLimits: { apiKeyPerKey: 3 },
    });
    const { admin } = await signUpAccount(limited);
    const { secret } = await admin.apiKeys.create({ label: "x", scopes: ["read"] });
    const other = await admin.apiKeys.create({ label: "y", scopes: ["read"] });
    const service = keyClient(limited, secret);
    for (let i = 0; i < 3; i++) await service.tags.list();
    const refused = await service.tags.list().catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(
      (refused as TRPCError & { cause: { retryAfterSeconds: number } }).cause.retryAfterSeconds,
    ).toBeGreaterThan(0);
    // Each key has its own allowance.
    await keyClient(limited, other.secret).tags.list();
  });
});

describe("a websocket opened with a key", () => {
  function keyConnection(secret: string) {
    const closes: number[] = [];
    const socket = {
      readyState: 1,
      close: (code: number) => closes.push(code),
      once: () => socket,
    };
    const ctx = createContext({
      runtime: rt,
      headers: new Headers(),
      resHeaders: new Headers(),
      apiKey: secret,
      socket,
    });
    return { api: createCaller(ctx), closes };
  }

  async function until(check: () => boolean) {
    const deadline = Date.now() + 10_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error("timed out waiting");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it("is closed when the key is revoked, and serves nothing more", async () => {
    const { admin } = await accountWithAgent();
    const { key, secret } = await admin.apiKeys.create({ label: "x", scopes: ["read"] });
    const conn = keyConnection(secret);
    await conn.api.tags.list();
    await admin.apiKeys.revoke({ id: key.id });
    await until(() => conn.closes.length > 0);
    expect(conn.closes).toEqual([AUTHORITY_CHANGED_CLOSE_CODE]);
    expect(await codeOf(conn.api.tags.list())).toBe("UNAUTHORIZED");
  });

  it("stays open when another key is revoked", async () => {
    const { admin } = await accountWithAgent();
    const kept = await admin.apiKeys.create({ label: "kept", scopes: ["read"] });
    const gone = await admin.apiKeys.create({ label: "gone", scopes: ["read"] });
    const keptConn = keyConnection(kept.secret);
    const goneConn = keyConnection(gone.secret);
    await keptConn.api.tags.list();
    await goneConn.api.tags.list();
    await admin.apiKeys.revoke({ id: gone.key.id });
    await until(() => goneConn.closes.length > 0);
    expect(keptConn.closes).toEqual([]);
    expect(await codeOf(keptConn.api.tags.list())).toBe("OK");
  });
});
