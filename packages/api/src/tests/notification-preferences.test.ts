// Each agent's notification preferences: defaults until changed, merged per
// switch (two tabs saving different switches at once both win), and private
// to the agent who set them.
import { DEFAULT_NOTIFICATION_PREFERENCES } from "@netia/core";
import type { Runtime } from "@netia/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, createTestRuntime, signUpAccount, tokenOfLink, uniqueEmail } from "../testing";

let rt: Runtime;
beforeAll(async () => {
  rt = await createTestRuntime();
});
afterAll(async () => {
  await rt.database.close();
});

async function teamOfTwo() {
  const { admin } = await signUpAccount(rt);
  const { url } = await admin.team.invite({ email: uniqueEmail("agent"), role: "agent" });
  const agent = client(rt);
  await agent.auth.acceptInvitation({
    token: tokenOfLink(url),
    name: "Agent",
    password: "agent password",
  });
  return { admin, agent };
}

describe("notification preferences", () => {
  it("start at the defaults and change one switch at a time", async () => {
    const { admin } = await teamOfTwo();
    expect(await admin.notifications.preferences()).toEqual(DEFAULT_NOTIFICATION_PREFERENCES);

    const changed = await admin.notifications.updatePreferences({ sound: false });
    expect(changed).toEqual({ ...DEFAULT_NOTIFICATION_PREFERENCES, sound: false });
    expect(await admin.notifications.preferences()).toEqual(changed);
  });

  it("keep both of two changes saved at the same moment", async () => {
    const { admin } = await teamOfTwo();
    await Promise.all([
      admin.notifications.updatePreferences({ mention: false }),
      admin.notifications.updatePreferences({ desktop: false }),
      admin.notifications.updatePreferences({ newConversation: false }),
    ]);
    expect(await admin.notifications.preferences()).toEqual({
      ...DEFAULT_NOTIFICATION_PREFERENCES,
      mention: false,
      desktop: false,
      newConversation: false,
    });
  });

  it("are each agent's own", async () => {
    const { admin, agent } = await teamOfTwo();
    await agent.notifications.updatePreferences({ assignedMessage: false });
    expect(await admin.notifications.preferences()).toEqual(DEFAULT_NOTIFICATION_PREFERENCES);
    expect((await agent.notifications.preferences()).assignedMessage).toBe(false);
  });

  it("refuse unknown switches, non-booleans and empty changes", async () => {
    const { admin } = await teamOfTwo();
    const bad: unknown[] = [{}, { loud: true }, { sound: "yes" }, { sound: null }];
    for (const input of bad) {
      await expect(
        admin.notifications.updatePreferences(input as { sound: boolean }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    expect(await admin.notifications.preferences()).toEqual(DEFAULT_NOTIFICATION_PREFERENCES);
  });

  it("are refused without a session", async () => {
    await expect(client(rt).notifications.preferences()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });
});
