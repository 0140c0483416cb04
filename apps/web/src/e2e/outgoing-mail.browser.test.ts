// Settings → Outgoing mail in Chromium: an invitation the SMTP server refuses
// shows as failed with the server's answer, the menu counts it, its preview
// renders in a sandboxed frame, and Retry sends it to the (now willing) server.
import { launchChromium } from "@netia/testkit/browser";
import { type FakeSmtp, startFakeSmtp } from "@netia/testkit/smtp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Browser,
  type BrowserContext,
  signUpInBrowser,
  startWebServer,
  UI_TIMEOUT,
  type WebServer,
} from "./harness";

const SCREENSHOT = "/tmp/netia-outgoing-mail.png";

describe("the outgoing mail page in Chromium", () => {
  let smtp: FakeSmtp;
  let web: WebServer;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    smtp = await startFakeSmtp();
    web = await startWebServer("outgoing-mail", {
      env: {
        SMTP_HOST: "127.0.0.1",
        SMTP_PORT: String(smtp.port),
        SMTP_FROM: "Netia <mail@netia.test>",
      },
    });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(UI_TIMEOUT);
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await web?.close();
    await smtp?.close();
  }, 60_000);

  it("shows a refused email as failed and sends it again on Retry", async () => {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    const base = web.server.url;
    await signUpInBrowser(page, base, { label: "Mailer" });

    // The server refuses the recipient for good: the email fails at once.
    smtp.failNext(1, 550);
    const invitee = `invitee-${crypto.randomUUID().slice(0, 8)}@example.com`;
    await page.goto(`${base}/settings/team`);
    const form = page.getByTestId("invite-form");
    await form.getByLabel("Email", { exact: true }).fill(invitee);
    await form.getByTestId("invite-submit").click();
    await page.getByTestId("invitation-link").waitFor();

    await page.goto(`${base}/settings/outgoing-mail`);
    const row = page.locator(`[data-testid="outgoing-mail-row"][data-status="failed"]`);
    // The send job runs in the background; the list is loaded once, so reload until it shows.
    await expect
      .poll(
        async () => {
          if ((await row.count()) > 0) return true;
          await page.reload();
          await page
            .getByTestId("outgoing-mail")
            .or(page.getByTestId("outgoing-mail-empty"))
            .waitFor();
          return (await row.count()) > 0;
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(true);
    await expect.poll(() => row.getByTestId("email-last-error").textContent()).toMatch(/550/);
    await expect.poll(() => page.getByTestId("failed-email-count").textContent()).toContain("1");

    await row.getByRole("button", { name: /Join Mailer/ }).click();
    const preview = page.getByTestId("email-preview");
    await expect.poll(() => preview.getByTestId("email-error").textContent()).toMatch(/550/);
    const frame = preview.getByTestId("email-html");
    expect(await frame.getAttribute("sandbox")).toBe("");
    const frameText = await frame.contentFrame().locator("body").textContent();
    expect(frameText).toContain("Accept the invitation");

    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    await preview.getByTestId("email-retry").click();
    const mail = await smtp.waitFor((m) => m.to.includes(invitee), 30_000);
    expect(mail.subject).toMatch(/^Join Mailer/);
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByTestId("outgoing-mail").waitFor();
          return page
            .locator(`[data-testid="outgoing-mail-row"]`)
            .first()
            .getAttribute("data-status");
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe("sent");
    await expect.poll(() => page.getByTestId("failed-email-count").count()).toBe(0);
    expect(problems).toEqual([]);
  }, 180_000);
});
