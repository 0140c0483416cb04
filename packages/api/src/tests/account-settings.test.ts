import type { Runtime } from "@netia/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AWAY_MESSAGE_MAX } from "../routers/account";
import { client, createTestRuntime, signUpAccount, tokenOfLink, uniqueEmail } from "../testing";

let rt: Runtime;
beforeAll(async () => {
  rt = await createTestRuntime();
});
afterAll(async () => {
  await rt.database.close();
});

/** Working hours that hold `now` (every day, all day) or never do (a day that is not today in UTC). */
const ALWAYS_OPEN = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, startMinute: 0, endMinute: 1440 }));
const closedToday = () => [
  { day: (new Date().getUTCDay() + 3) % 7, startMinute: 0, endMinute: 1440 },
];

async function newAgent(admin: Awaited<ReturnType<typeof signUpAccount>>["admin"]) {
  const { url } = await admin.team.invite({ email: uniqueEmail("agent"), role: "agent" });
  const agent = client(rt);
  await agent.auth.acceptInvitation({
    token: tokenOfLink(url),
    name: "Agent",
    password: "agent password 1",
  });
  return agent;
}

describe("the account's away message", () => {
  it("is stored trimmed, read back, and cleared by an empty text", async () => {
    const { admin } = await signUpAccount(rt);
    expect((await admin.account.get()).awayMessage).toBeNull();
    const saved = await admin.account.update({ awayMessage: "  We're closed; we reply by 9am.  " });
    expect(saved.awayMessage).toBe("We're closed; we reply by 9am.");
    expect((await admin.account.get()).awayMessage).toBe("We're closed; we reply by 9am.");
    expect((await admin.account.update({ awayMessage: "" })).awayMessage).toBeNull();
  });

  it("refuses one longer than the limit, and any change by an agent", async () => {
    const { admin } = await signUpAccount(rt);
    await expect(
      admin.account.update({ awayMessage: "x".repeat(AWAY_MESSAGE_MAX + 1) }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const agent = await newAgent(admin);
    await expect(agent.account.update({ awayMessage: "mine" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await admin.account.get()).awayMessage).toBeNull();
  });

  it("reaches the widget outside working hours only", async () => {
    const { admin, account } = await signUpAccount(rt);
    const config = () => client(rt).widget.config({ accountToken: account.id });
    await admin.account.update({ awayMessage: "Back on Monday", workingHours: closedToday() });
    expect(await config()).toMatchObject({
      withinWorkingHours: false,
      awayMessage: "Back on Monday",
    });

    await admin.account.update({ workingHours: ALWAYS_OPEN });
    expect(await config()).toMatchObject({ withinWorkingHours: true, awayMessage: null });

    // No hours set means always open: nothing to be away from.
    await admin.account.update({ workingHours: [] });
    expect((await config()).awayMessage).toBeNull();
  });
});

describe("the profile", () => {
  it("shows and changes only the caller's own name and avatar", async () => {
    const { admin, email } = await signUpAccount(rt);
    const agent = await newAgent(admin);
    expect(await admin.profile.get()).toMatchObject({ name: "Admin", email, avatarUrl: null });

    const updated = await agent.profile.update({
      name: "  Renamed Agent ",
      avatarUrl: "https://example.com/me.png",
    });
    expect(updated).toMatchObject({
      name: "Renamed Agent",
      avatarUrl: "https://example.com/me.png",
    });
    expect((await agent.auth.me())?.user.name).toBe("Renamed Agent");
    expect((await admin.profile.get()).name).toBe("Admin");
    expect((await agent.profile.update({ avatarUrl: null })).avatarUrl).toBeNull();

    await expect(agent.profile.update({ avatarUrl: "javascript:alert(1)" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(agent.profile.update({})).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("changes the password after checking the current one, and logs out other sessions", async () => {
    const { admin, email, password } = await signUpAccount(rt);
    const elsewhere = client(rt);
    await elsewhere.auth.logIn({ email, password });
    expect(await elsewhere.auth.me()).not.toBeNull();

    await expect(
      admin.profile.changePassword({
        currentPassword: "wrong password",
        newPassword: "new pass 12",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      admin.profile.changePassword({ currentPassword: password, newPassword: "short" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await elsewhere.auth.me()).not.toBeNull();

    const { otherSessionsEnded } = await admin.profile.changePassword({
      currentPassword: password,
      newPassword: "new pass 12",
    });
    expect(otherSessionsEnded).toBe(1);
    expect(await elsewhere.auth.me()).toBeNull();
    expect(await admin.auth.me()).not.toBeNull();

    await expect(client(rt).auth.logIn({ email, password })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await client(rt).auth.logIn({ email, password: "new pass 12" });
  });
});
