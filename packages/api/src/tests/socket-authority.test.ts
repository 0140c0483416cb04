// A connection's context lives as long as its websocket. Admin procedures on
// it read the caller's role from the database on every call, so a demotion
// counts at once even before (or without) its announcement on the bus; the
// socket is then closed with 4001 so the client authenticates again. A
// password reset, which ends every session of the user, closes it too.
// (Disabling, logging out, revoking and demoting across two nodes:
// apps/web/src/e2e/authority.nodes.test.ts.)
import { schema } from "@netia/db";
import type { Runtime } from "@netia/runtime";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTHORITY_CHANGED_CLOSE_CODE } from "../limits";
import { createCaller } from "../root";
import { client, createTestRuntime, signUpAccount, tokenOfLink, uniqueEmail } from "../testing";
import { createContext } from "../trpc";

let rt: Runtime;
const resetLinks = new Map<string, string>();
beforeAll(async () => {
  rt = await createTestRuntime({
    hooks: {
      async sendPasswordReset(email, url) {
        resetLinks.set(email, url);
      },
    },
  });
});
afterAll(async () => {
  await rt.database.close();
});

/** One connection's caller: one context for every call, as a websocket has. */
function connection(cookie: string) {
  const closes: number[] = [];
  // Only what the server needs of a `ws` socket: its state, close() and its "close" event.
  const socket = { readyState: 1, close: (code: number) => closes.push(code), once: () => socket };
  const ctx = createContext({
    runtime: rt,
    headers: new Headers({ cookie }),
    resHeaders: new Headers(),
    socket,
  });
  return { api: createCaller(ctx), closes };
}

describe("an admin's long-lived connection", () => {
  it("is refused admin calls as soon as the database says they are an agent", async () => {
    const { admin } = await signUpAccount(rt);
    const email = uniqueEmail("second-admin");
    const { url } = await admin.team.invite({ email, role: "admin" });
    const other = client(rt);
    const { user } = await other.auth.acceptInvitation({
      token: tokenOfLink(url),
      name: "Second",
      password: "second password 1",
    });
    const conn = connection(other.cookieHeader());
    const [inbox] = await conn.api.inboxes.list();
    expect((await conn.api.inboxes.get({ id: inbox?.id ?? "" })).identitySecret).toBeTruthy();

    // Demoted behind the connection's back: no announcement reaches it.
    await rt.db
      .update(schema.memberships)
      .set({ role: "agent" })
      .where(eq(schema.memberships.userId, user.id));

    // The self-promotion of finding 2 is refused by the role as it is now.
    await expect(
      conn.api.team.updateRole({ userId: user.id, role: "admin" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(conn.closes).toEqual([AUTHORITY_CHANGED_CLOSE_CODE]);
    // Nothing more is served on it; the client reconnects and is an agent there.
    await expect(conn.api.inboxes.get({ id: inbox?.id ?? "" })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await expect(conn.api.team.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const again = connection(other.cookieHeader());
    expect((await again.api.team.list()).find((m) => m.userId === user.id)?.role).toBe("agent");
  });
});

describe("a password reset", () => {
  it("closes the user's open connections, whose sessions it ended", async () => {
    const { admin, email } = await signUpAccount(rt);
    const conn = connection(admin.cookieHeader());
    expect((await conn.api.team.list()).length).toBe(1);
    await client(rt).auth.requestPasswordReset({ email });
    const token = tokenOfLink(resetLinks.get(email) ?? "");
    await client(rt).auth.resetPassword({ token, newPassword: "a brand new password" });
    for (let i = 0; conn.closes.length === 0 && i < 500; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(conn.closes).toEqual([AUTHORITY_CHANGED_CLOSE_CODE]);
    await expect(conn.api.team.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
