// The getting-started checklist in Chromium: a new admin signs up and sees
// 0/3; a visitor writes from the widget on a website (a host page on another
// origin) and the inbox ticks "install" and "test message" live; inviting a
// teammate completes it and the checklist goes away. The "try the widget"
// link opens a page with the real widget.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build } from "../../../../packages/widget/scripts/build.mjs";
import {
  type BrowserContext,
  type Page,
  startWebHarness,
  UI_TIMEOUT,
  type WebHarness,
} from "./harness";
import { contextFor, saveScreenshot, VIEWPORTS } from "./screenshots";

describe("the getting-started checklist in Chromium", () => {
  let harness: WebHarness;
  let host: Server;
  let hostUrl: string;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  /** The account whose widget the host page embeds (set after sign-up). */
  let accountToken = "";

  beforeAll(async () => {
    await build({ quiet: true });
    harness = await startWebHarness("onboarding");
    // A customer's website, on another origin than Netia.
    host = createServer((_req, res) => {
      res.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
      });
      res.end(`<!doctype html><html><head><meta charset="utf-8"><title>Shop</title>
<script src="${harness.server.url}/widget.js" data-token="${accountToken}" async></script>
</head><body><h1>Acme shop</h1></body></html>`);
    });
    await new Promise<void>((done) => host.listen(0, "127.0.0.1", done));
    hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;
  }, 240_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await new Promise<void>((done) => (host ? host.close(() => done()) : done()));
    await harness?.close();
  }, 60_000);

  async function newPage(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()} ${m.location().url}`);
    });
    return page;
  }

  const progress = (page: Page) => page.getByTestId("onboarding-progress").textContent();
  const stepDone = (page: Page, step: string) =>
    page.locator(`[data-testid="onboarding-step"][data-step="${step}"]`).getAttribute("data-done");

  it("ticks install and test message from a website's widget, and goes away after an invitation", async () => {
    const suffix = crypto.randomUUID().slice(0, 8);
    const context = await contextFor(harness, "desktop");
    contexts.push(context);
    const admin = await newPage(context);

    // 1. Sign up: the checklist shows, nothing done.
    await admin.goto(`${harness.server.url}/signup`, { timeout: 120_000 });
    await admin.getByLabel("Your name").fill("Ada Admin");
    await admin.getByLabel("Work email").fill(`onboarding-${suffix}@example.com`);
    await admin.getByLabel("Password").fill("correct horse battery");
    await admin.getByLabel("Company name").fill(`Acme ${suffix}`);
    await admin.getByTestId("signup-submit").click();
    await admin.waitForURL(/\/inbox$/);
    const checklist = admin.getByTestId("onboarding-checklist");
    await checklist.waitFor();
    expect(await progress(admin)).toBe("0/3");
    for (const step of ["widget", "message", "teammate"]) {
      expect(await stepDone(admin, step)).toBe("false");
    }
    for (const scheme of ["light", "dark"] as const) {
      await admin.emulateMedia({ colorScheme: scheme });
      for (const device of ["desktop", "phone"] as const) {
        await admin.setViewportSize(VIEWPORTS[device]);
        await checklist.waitFor();
        await saveScreenshot(admin, "onboarding", { scheme, device });
      }
    }
    await admin.emulateMedia({ colorScheme: "light" });
    await admin.setViewportSize(VIEWPORTS.desktop);

    // The "try it" link opens a page of ours with the account's real widget.
    // Its token is the account's public one, which the website's snippet carries too.
    const tryHref = (await admin.getByTestId("onboarding-link-message").getAttribute("href")) ?? "";
    expect(tryHref).toMatch(/^\/try-widget\?token=[0-9a-f-]{36}$/);
    accountToken = new URL(tryHref, harness.server.url).searchParams.get("token") ?? "";
    const tryPage = await newPage(context);
    await tryPage.goto(`${harness.server.url}${tryHref}`);
    await tryPage.getByTestId("netia-launcher").waitFor();
    await tryPage.close();

    // 2. A visitor on the website writes: install and test message tick, live.
    const visitorContext = await harness.newContext();
    contexts.push(visitorContext);
    const shop = await newPage(visitorContext);
    await shop.goto(hostUrl);
    await shop.getByTestId("netia-launcher").click();
    const input = shop.getByTestId("netia-input");
    await input.fill("Hello, is this thing on?");
    await input.press("Enter");
    await shop
      .locator('[data-testid="netia-message"][data-status="sent"]', { hasText: "is this thing on" })
      .waitFor();
    await expect.poll(() => progress(admin), { timeout: UI_TIMEOUT }).toBe("2/3");
    expect(await stepDone(admin, "widget")).toBe("true");
    expect(await stepDone(admin, "message")).toBe("true");
    expect(await stepDone(admin, "teammate")).toBe("false");

    // 3. Invite a teammate from the step's link: 3/3, and the checklist is gone.
    await admin.getByTestId("onboarding-link-teammate").click();
    await admin.waitForURL(/\/settings\/team$/);
    await admin.getByTestId("invite-form").getByLabel("Email").fill(`mate-${suffix}@example.com`);
    await admin.getByTestId("invite-submit").click();
    await admin.getByTestId("invitation-link-url").waitFor();
    await admin.getByTestId("nav-inbox").click();
    await admin.waitForURL(/\/inbox$/);
    await admin.getByTestId("conversation-row").first().waitFor();
    await expect.poll(() => checklist.count(), { timeout: UI_TIMEOUT }).toBe(0);

    expect(problems).toEqual([]);
  }, 180_000);
});
