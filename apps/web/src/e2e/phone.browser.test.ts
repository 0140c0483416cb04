// The dashboard on a phone (390×844) in Chromium: the inbox shows one pane at
// a time (the list, then only the thread, and Back to the same view), the
// customer opens in a sheet, the header's controls sit behind a menu, and no
// main page scrolls sideways. Saves the phone screenshots, light and dark.
import { randomUUID } from "node:crypto";
import { newVisitor, signUpAccount } from "@netia/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserContext, type Page, startWebHarness, type WebHarness } from "./harness";
import { type ColorScheme, contextFor, saveScreenshot } from "./screenshots";

const PHONE_WIDTH = 390;

describe("the dashboard on a phone in Chromium", () => {
  let harness: WebHarness;
  let login: { email: string; password: string };
  let conversationId: string;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    harness = await startWebHarness("phone");
    const { account, email, password, admin } = await signUpAccount(
      harness.runtime,
      `Acme ${randomUUID().slice(0, 8)}`,
    );
    login = { email, password };
    for (const [name, body] of [
      ["Grace Hopper", "My order never arrived, can you check the tracking number please?"],
      ["Alan Turing", "How do I change the email address on my account?"],
    ] as const) {
      const visitor = await newVisitor(harness.runtime, account.id);
      ({ conversationId } = await visitor.widget.widget.sendMessage({
        body,
        clientMessageId: randomUUID(),
      }));
      await admin.customers.update({
        id: visitor.customerId,
        name,
        email: `${name.split(" ")[0]?.toLowerCase()}@example.com`,
      });
    }
    await admin.messages.reply({ conversationId, body: "Hi Alan! Settings → Profile → Email." });
  }, 180_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await harness?.close();
  }, 60_000);

  async function signedInPhone(scheme: ColorScheme): Promise<Page> {
    const context = await contextFor(harness, "phone", scheme);
    contexts.push(context);
    const page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()} ${m.location().url}`);
    });
    await page.goto(`${harness.server.url}/login`, { timeout: 120_000 });
    await page.getByLabel("Email").fill(login.email);
    await page.getByLabel("Password", { exact: true }).fill(login.password);
    await page.getByTestId("login-submit").click();
    await page.waitForURL(/\/inbox$/);
    return page;
  }

  /** How far the page is wider than the phone (0 when nothing scrolls sideways). */
  const overflow = (page: Page) =>
    page.evaluate((width) => document.documentElement.scrollWidth - width, PHONE_WIDTH);

  const list = (page: Page) => page.getByRole("complementary", { name: "Conversations" });
  const thread = (page: Page) => page.getByRole("region", { name: "Conversation", exact: true });

  it("list → thread only → Back to the same view; the customer in a sheet; the header menu", async () => {
    const page = await signedInPhone("light");
    // Mine: the conversation the admin answered (replying assigned it to them).
    await page.goto(`${harness.server.url}/inbox?view=mine`);
    await page.getByTestId("conversation-row").first().waitFor();
    expect(await page.getByTestId("conversation-row").count()).toBe(1);
    expect(await overflow(page)).toBeLessThanOrEqual(0);

    // The header holds only the logo and the menu.
    expect(await page.getByTestId("logout").isVisible()).toBe(false);
    await page.getByTestId("header-menu").click();
    const menu = page.getByTestId("header-menu-panel");
    await menu.waitFor();
    expect(await menu.getByTestId("menu-nav-customers").isVisible()).toBe(true);
    expect(await menu.getByTestId("menu-logout").isVisible()).toBe(true);
    await page.keyboard.press("Escape");
    await menu.waitFor({ state: "detached" });

    // Opening a conversation shows only the thread.
    await page.locator(`[data-conversation-id="${conversationId}"]`).click();
    await page.waitForURL(`${harness.server.url}/inbox/${conversationId}?view=mine`);
    await thread(page).waitFor();
    await page.getByText("Settings → Profile → Email.").waitFor();
    expect(await list(page).isVisible()).toBe(false);
    expect(await overflow(page)).toBeLessThanOrEqual(0);

    // The customer's details open in a sheet, and close.
    await page.getByTestId("open-customer-sheet").click();
    const sheet = page.getByTestId("customer-sheet");
    await sheet.getByTestId("customer-title").waitFor();
    expect(await sheet.getByTestId("customer-title").textContent()).toBe("Alan Turing");
    await page.keyboard.press("Escape");
    await expect.poll(() => sheet.isVisible()).toBe(false);

    // Back: the list, in the same view.
    await page.getByTestId("back-to-list").click();
    await page.waitForURL(`${harness.server.url}/inbox?view=mine`);
    await page.getByTestId("conversation-row").first().waitFor();
    expect(await thread(page).count()).toBe(0);
    expect(await page.getByTestId("view-mine").getAttribute("aria-current")).toBe("page");

    // The other sections, from the menu: nothing scrolls sideways.
    for (const [nav, path, ready] of [
      ["menu-nav-customers", /\/customers$/, "customer-list"],
      ["menu-nav-settings", /\/settings\/\w+$/, "settings-nav"],
    ] as const) {
      await page.getByTestId("header-menu").click();
      await page.getByTestId(nav).click();
      await page.waitForURL(path);
      if (ready === "settings-nav") {
        await page.getByRole("navigation", { name: "Settings" }).waitFor();
      } else {
        await page.getByTestId(ready).first().waitFor();
      }
      expect(await overflow(page), `${nav} overflows`).toBeLessThanOrEqual(0);
    }
    await page.goto(`${harness.server.url}/settings/team`);
    await page.getByTestId("member-row").first().waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);

    expect(problems).toEqual([]);
  }, 180_000);

  it.each(["light", "dark"] as const)(
    "phone screenshots, %s",
    async (scheme) => {
      const page = await signedInPhone(scheme);
      expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(
        scheme === "dark",
      );
      await page.getByTestId("conversation-row").first().waitFor();
      await saveScreenshot(page, "inbox", { scheme, device: "phone" });
      await page.goto(`${harness.server.url}/inbox/${conversationId}`);
      await page.getByText("Settings → Profile → Email.").waitFor();
      await saveScreenshot(page, "thread", { scheme, device: "phone" });
      await page.goto(`${harness.server.url}/customers`);
      await page.getByTestId("customer-list").locator("li").first().waitFor();
      await saveScreenshot(page, "customers", { scheme, device: "phone" });
      await page.goto(`${harness.server.url}/settings/team`);
      await page.getByTestId("member-row").first().waitFor();
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await saveScreenshot(page, "settings-team", { scheme, device: "phone" });
      expect(problems).toEqual([]);
    },
    120_000,
  );
});
