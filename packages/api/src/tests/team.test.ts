import type { Runtime } from "@netia/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, createTestRuntime, signUpAccount, tokenOfLink, uniqueEmail } from "../testing";

let rt: Runtime;
let resetLinks: { email: string; url: string }[];
beforeAll(async () => {
  resetLinks = [];
  rt = await createTestRuntime({
    hooks: {
      async sendPasswordReset(email, url) {
        resetLinks.push({ email, url });
      },
    },
  });
});
afterAll(async () => {
  await rt.database.close();
});

async function invite(
  admin: Awaited<ReturnType<typeof signUpAccount>>["admin"],
  role: "admin" | "agent" = "agent",
) {
  const email = uniqueEmail("invitee");
  const { url, invitation } = await admin.team.invite({ email, role });
  return { email, token: tokenOfLink(url), invitation };
}

describe("invitations", () => {
  it("lets an invitee join with the invited role, once", async () => {
    const { admin, account } = await signUpAccount(rt);
    const { email, token } = await invite(admin, "agent");
    const shown = await client(rt).auth.getInvitation({ token });
    expect(shown).toMatchObject({ email, role: "agent", companyName: "Acme" });

    const invitee = client(rt);
    await invitee.auth.acceptInvitation({ token, name: "New Agent", password: "agent password" });
    const me = await invitee.auth.me();
    expect(me).toMatchObject({ role: "agent", account: { id: account.id } });
    expect((await admin.team.list()).map((m) => m.email)).toContain(email);
    expect(await admin.team.listInvitations()).toHaveLength(0);

    await expect(
      client(rt).auth.acceptInvitation({ token, name: "Again", password: "agent password" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("links to the /invite/<token> page of the app", async () => {
    const { admin } = await signUpAccount(rt);
    const { url } = await admin.team.invite({ email: uniqueEmail("linked"), role: "agent" });
    expect(url).toMatch(new RegExp(`^${rt.config.appUrl}/invite/[A-Za-z0-9_-]+$`));
  });

  it("resends an invitation as a new link and retires the old one", async () => {
    const { admin } = await signUpAccount(rt);
    const first = await invite(admin);
    const resent = await admin.team.resendInvitation({ id: first.invitation.id });
    expect(resent.invitation).toMatchObject({ id: first.invitation.id, email: first.email });
    const token = tokenOfLink(resent.url);
    expect(token).not.toBe(first.token);
    await expect(client(rt).auth.getInvitation({ token: first.token })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await client(rt).auth.getInvitation({ token })).toMatchObject({ email: first.email });
    expect((await admin.team.listInvitations()).map((i) => i.id)).toEqual([first.invitation.id]);

    // A revoked invitation stays revoked.
    await admin.team.revokeInvitation({ id: first.invitation.id });
    await expect(admin.team.resendInvitation({ id: first.invitation.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("refuses expired and revoked invitations", async () => {
    const { admin } = await signUpAccount(rt);
    const revoked = await invite(admin);
    await admin.team.revokeInvitation({ id: revoked.invitation.id });
    // The invitee reads why the link does not work and what to do.
    await expect(client(rt).auth.getInvitation({ token: revoked.token })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringMatching(/no longer valid.*ask your team's admin for a new one/i),
    });

    const expired = await invite(admin);
    const { schema } = await import("@netia/db");
    const { eq } = await import("drizzle-orm");
    await rt.db
      .update(schema.invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.invitations.id, expired.invitation.id));
    await expect(
      client(rt).auth.acceptInvitation({
        token: expired.token,
        name: "Late",
        password: "late password",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/expired/) });
  });
});

describe("roles and disabling", () => {
  it("keeps at least one admin and lets admins promote agents", async () => {
    const { admin, user } = await signUpAccount(rt);
    await expect(admin.team.updateRole({ userId: user.id, role: "agent" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const { token } = await invite(admin);
    const agent = client(rt);
    const { user: agentUser } = await agent.auth.acceptInvitation({
      token,
      name: "Agent",
      password: "agent password",
    });
    await expect(agent.team.invite({ email: uniqueEmail() })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await admin.team.updateRole({ userId: agentUser.id, role: "admin" });
    expect((await agent.auth.me())?.role).toBe("admin");
    await admin.team.updateRole({ userId: user.id, role: "agent" });
    expect((await admin.auth.me())?.role).toBe("agent");
  });

  it("ends a disabled member's sessions and refuses their login until re-enabled", async () => {
    const { admin, user } = await signUpAccount(rt);
    const { token, email } = await invite(admin);
    const agent = client(rt);
    const { user: agentUser } = await agent.auth.acceptInvitation({
      token,
      name: "Agent",
      password: "agent password",
    });
    await expect(admin.team.setDisabled({ userId: user.id, disabled: true })).rejects.toMatchObject(
      {
        code: "BAD_REQUEST",
      },
    );
    await admin.team.setDisabled({ userId: agentUser.id, disabled: true });
    await expect(agent.conversations.list({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(
      client(rt).auth.logIn({ email, password: "agent password" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await admin.team.setDisabled({ userId: agentUser.id, disabled: false });
    const back = client(rt);
    await back.auth.logIn({ email, password: "agent password" });
    expect((await back.auth.me())?.user.id).toBe(agentUser.id);
  });
});

describe("invitations across teams", () => {
  it("answers an invitation alike whether or not the email has a login on another team", async () => {
    const a = await signUpAccount(rt, "Team A");
    const b = await signUpAccount(rt, "Team B");
    const shape = (answer: { invitation: Record<string, unknown>; url: string }) => ({
      keys: Object.keys(answer.invitation).sort(),
      email: answer.invitation.email,
      role: answer.invitation.role,
      url: answer.url.replace(/[^/]+$/, "…"),
    });
    const fresh = uniqueEmail("fresh");
    const known = await b.admin.team.invite({ email: a.email, role: "agent" });
    const unknown = await b.admin.team.invite({ email: fresh, role: "agent" });
    expect(shape(known)).toEqual({ ...shape(unknown), email: a.email });
    expect((await b.admin.team.listInvitations()).map((i) => i.email).sort()).toEqual(
      [a.email, fresh].sort(),
    );

    // The login stays with its team: opening the invitation says why it cannot be accepted.
    const token = tokenOfLink(known.url);
    await expect(
      client(rt).auth.acceptInvitation({ token, name: "Taken", password: "another password" }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/one team/) });
    const owner = client(rt);
    await owner.auth.logIn({ email: a.email, password: a.password });
    expect((await owner.auth.me())?.account.id).toBe(a.account.id);

    // Someone already on the inviting team is refused: the team list shows them anyway.
    await expect(a.admin.team.invite({ email: a.email })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });
});

describe("password reset", () => {
  it("sends a link whose token sets a new password and ends old sessions", async () => {
    const { admin, email, password } = await signUpAccount(rt);
    await client(rt).auth.requestPasswordReset({ email });
    const link = resetLinks.find((l) => l.email === email);
    expect(link?.url).toMatch(/\/reset-password\/[^/?]+$/);
    const token = tokenOfLink(link?.url ?? "http://x");
    await client(rt).auth.resetPassword({ token, newPassword: "brand new password" });
    expect(await admin.auth.me()).toBeNull();
    await expect(client(rt).auth.logIn({ email, password })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await client(rt).auth.logIn({ email, password: "brand new password" });
    await expect(
      client(rt).auth.resetPassword({ token, newPassword: "another password" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "This password reset link is invalid or has expired; ask for a new one",
    });
  });

  it("answers the same for an unknown email", async () => {
    const before = resetLinks.length;
    await client(rt).auth.requestPasswordReset({ email: uniqueEmail("nobody") });
    expect(resetLinks.length).toBe(before);
  });
});

describe("rate limits", () => {
  // Login protection has its own suite (login-protection.test.ts).
  it("limits sign-ups per IP", async () => {
    const strict = await createTestRuntime({
      database: rt.database,
      rateLimits: { signUpPerIp: 2 },
    });
    const signUp = () =>
      client(strict, { ip: "203.0.113.8" }).auth.signUp({
        name: "S",
        email: uniqueEmail("spam"),
        password: "long enough",
        companyName: "Spam",
      });
    await signUp();
    await signUp();
    await expect(signUp()).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    // Another address is not affected.
    await client(strict, { ip: "203.0.113.9" }).auth.signUp({
      name: "S",
      email: uniqueEmail("fine"),
      password: "long enough",
      companyName: "Fine",
    });
  });
});
