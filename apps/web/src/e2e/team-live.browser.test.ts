// Two agents in two browsers: each sees the other's typing, assignment and
// status changes live; and the alerts an agent gets while their tab is hidden
// (sound and desktop notification, per their notification settings).
//
// The browser's Notification and sound are observed, not replaced in Netia:
// an init script records `new Notification(...)` and oscillator starts, and
// makes `document.visibilityState` settable, since a headless tab is never
// hidden by itself.
import { randomUUID } from "node:crypto";
import { client, newVisitor, signUpAccount, tokenOfLink, uniqueEmail } from "@netia/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BrowserContext,
  logInInBrowser,
  type Page,
  startWebHarness,
  UI_TIMEOUT,
  type WebHarness,
} from "./harness";

type Recorded = { title: string; body?: string; tag?: string };
declare global {
  interface Window {
    __alerts: Recorded[];
    __chimes: number;
    __setHidden: (hidden: boolean) => void;
  }
}

/** Runs in the page before Netia: records alerts and lets the test hide the tab. */
function observeAlerts() {
  window.__alerts = [];
  window.__chimes = 0;
  class RecordingNotification {
    static permission: NotificationPermission = "granted";
    static requestPermission = async () => "granted" as const;
    onclick: (() => void) | null = null;
    constructor(title: string, options?: NotificationOptions) {
      window.__alerts.push({ title, body: options?.body, tag: options?.tag });
    }
    close() {}
  }
  Object.defineProperty(window, "Notification", { value: RecordingNotification });
  let hidden = false;
  Object.defineProperty(document, "visibilityState", {
    get: () => (hidden ? "hidden" : "visible"),
  });
  Object.defineProperty(document, "hidden", { get: () => hidden });
  window.__setHidden = (value: boolean) => {
    hidden = value;
    document.dispatchEvent(new Event("visibilitychange"));
  };
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (this: OscillatorNode, ...args) {
    window.__chimes++;
    return start.apply(this, args);
  };
}

describe("two agents, live, and alerts in a hidden tab", () => {
  let harness: WebHarness;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  let accountId: string;
  let admin: Awaited<ReturnType<typeof signUpAccount>>;
  let agent: { email: string; password: string; userId: string; name: string };
  let alice: Page;
  let bob: Page;

  async function loggedIn(email: string, password: string): Promise<Page> {
    const context = await harness.newContext();
    contexts.push(context);
    await context.addInitScript(observeAlerts);
    const page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    page.on("console", (m) => {
      if (m.type() === "error" && !m.location().url.endsWith("/favicon.ico")) {
        problems.push(`console: ${m.text()}`);
      }
    });
    await logInInBrowser(page, harness.server.url, email, password);
    // A first click unlocks sound, as an agent's first click does.
    await page.getByTestId("account-name").click();
    return page;
  }

  async function startConversation(body: string) {
    const visitor = await newVisitor(harness.runtime, accountId);
    const sent = await visitor.widget.widget.sendMessage({ body, clientMessageId: randomUUID() });
    return { visitor, conversationId: sent.conversationId };
  }

  const alerts = (page: Page) => page.evaluate(() => window.__alerts);
  const chimes = (page: Page) => page.evaluate(() => window.__chimes);
  const hide = (page: Page, hidden: boolean) => page.evaluate((h) => window.__setHidden(h), hidden);

  beforeAll(async () => {
    harness = await startWebHarness("team-live");
    admin = await signUpAccount(harness.runtime, `Acme ${randomUUID().slice(0, 8)}`);
    accountId = admin.account.id;
    // Alice is the admin; Bob joins by invitation.
    const email = uniqueEmail("bob");
    const { url } = await admin.admin.team.invite({ email, role: "agent" });
    const bobClient = client(harness.runtime);
    await bobClient.auth.acceptInvitation({
      token: tokenOfLink(url),
      name: "Bob Builder",
      password: "bob password 1",
    });
    const me = await bobClient.auth.me();
    agent = { email, password: "bob password 1", userId: me!.user.id, name: "Bob Builder" };
    alice = await loggedIn(admin.email, admin.password);
    bob = await loggedIn(agent.email, agent.password);
  }, 240_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await harness?.close();
  }, 60_000);

  it("each sees the other's typing, assignment and closing live", async () => {
    const { conversationId } = await startConversation("Where is my parcel?");
    for (const page of [alice, bob]) {
      await page.goto(`${harness.server.url}/inbox/${conversationId}`);
      await page.getByTestId("composer-input").waitFor();
    }

    await alice.getByTestId("composer-input").fill("Let me check");
    await expect
      .poll(() => bob.getByTestId("typing-indicator").textContent(), { timeout: UI_TIMEOUT })
      .toMatch(/typing/);

    await alice.getByTestId("assignee-select").selectOption(agent.userId);
    await expect
      .poll(() => bob.getByTestId("assignee-select").inputValue(), { timeout: UI_TIMEOUT })
      .toBe(agent.userId);
    await expect
      .poll(() => bob.getByTestId("view-count-mine").textContent(), { timeout: UI_TIMEOUT })
      .toBe("1");

    await bob.getByTestId("close-conversation").click();
    await alice.getByTestId("reopen-conversation").waitFor({ timeout: UI_TIMEOUT });
    expect(await alice.getByTestId("conversation-status").textContent()).toMatch(/closed/i);

    await alice.getByTestId("reopen-conversation").click();
    await bob.getByTestId("close-conversation").waitFor({ timeout: UI_TIMEOUT });
  }, 120_000);

  it("alerts a hidden tab about a new conversation, with sound, and not a visible one", async () => {
    await bob.goto(`${harness.server.url}/inbox`);
    await bob.getByTestId("view-count-all").waitFor();
    const before = (await alerts(bob)).length;

    await startConversation("Seen while looking");
    await expect.poll(() => bob.getByTestId("conversation-row").count()).toBeGreaterThan(1);
    expect(await alerts(bob)).toHaveLength(before);

    await hide(bob, true);
    const chimesBefore = await chimes(bob);
    await startConversation("Hello, is anyone there?");
    await expect
      .poll(async () => (await alerts(bob)).slice(before), { timeout: UI_TIMEOUT })
      .toEqual([
        expect.objectContaining({
          title: "New conversation from Anonymous visitor",
          body: "Hello, is anyone there?",
        }),
      ]);
    expect(await chimes(bob)).toBeGreaterThan(chimesBefore);
    await hide(bob, false);
  }, 120_000);

  it("alerts the assignee about a customer's message, unless they turned it off", async () => {
    const { visitor, conversationId } = await startConversation("First question");
    await admin.admin.conversations.update({ id: conversationId, assigneeId: agent.userId });

    await hide(bob, true);
    await hide(alice, true);
    const bobBefore = (await alerts(bob)).length;
    const aliceBefore = (await alerts(alice)).length;
    await visitor.widget.widget.sendMessage({
      conversationId,
      body: "Any news?",
      clientMessageId: randomUUID(),
    });
    await expect
      .poll(async () => (await alerts(bob)).slice(bobBefore), { timeout: UI_TIMEOUT })
      .toEqual([expect.objectContaining({ title: "Anonymous visitor wrote", body: "Any news?" })]);
    // Alice is not the assignee: nothing for her.
    expect((await alerts(alice)).slice(aliceBefore)).toEqual([]);
    await hide(alice, false);

    // Bob turns these alerts off in Settings → Notifications.
    await hide(bob, false);
    await bob.goto(`${harness.server.url}/settings/notifications`);
    const toggle = bob.getByTestId("notify-assignedMessage");
    await toggle.waitFor();
    // click, not uncheck: the switch flips once the change is under way, a moment after the click.
    await toggle.click();
    await expect.poll(() => toggle.isChecked()).toBe(false);
    await bob.goto(`${harness.server.url}/inbox`);
    await bob.getByTestId("view-count-all").waitFor();
    await hide(bob, true);
    const quiet = (await alerts(bob)).length;
    await visitor.widget.widget.sendMessage({
      conversationId,
      body: "Hello?",
      clientMessageId: randomUUID(),
    });
    // The message reaches Bob's list, and still no alert.
    await expect
      .poll(() => bob.getByTestId("conversation-preview").first().textContent(), {
        timeout: UI_TIMEOUT,
      })
      .toBe("Hello?");
    expect((await alerts(bob)).slice(quiet)).toEqual([]);
    await hide(bob, false);
  }, 120_000);

  it("alerts the teammate a note @mentions, and only them", async () => {
    const { conversationId } = await startConversation("Refund please");
    // Both lists show it while the tabs are visible: that alerts nobody.
    for (const page of [alice, bob]) {
      await expect
        .poll(() => page.getByTestId("conversation-preview").first().textContent(), {
          timeout: UI_TIMEOUT,
        })
        .toBe("Refund please");
    }
    await hide(bob, true);
    await hide(alice, true);
    const bobBefore = (await alerts(bob)).length;
    const aliceBefore = (await alerts(alice)).length;
    await admin.admin.messages.note({
      conversationId,
      body: "@Bob Builder can you take this refund?",
      mentionedUserIds: [agent.userId],
    });
    await expect
      .poll(async () => (await alerts(bob)).slice(bobBefore), { timeout: UI_TIMEOUT })
      .toEqual([
        expect.objectContaining({
          title: "Admin mentioned you",
          body: "@Bob Builder can you take this refund?",
        }),
      ]);
    // The author is not alerted about their own note.
    expect((await alerts(alice)).slice(aliceBefore)).toEqual([]);
    await hide(alice, false);
    await hide(bob, false);
  }, 120_000);

  it("leaves no errors in the console", () => {
    expect(problems).toEqual([]);
  });
});
