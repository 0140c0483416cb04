// An email conversation in Chromium: a mail posted to the server's inbound
// endpoint (Mailgun's format, through the real Next route) shows in the inbox
// with its email mark and subject, the thread says it came by email, and the
// composer says a reply goes out by email. Settings → Inboxes shows the
// inbox's address.
import { createHmac, randomUUID } from "node:crypto";
import { signUpAccount } from "@netia/api/testing";
import { inboxAddress } from "@netia/core";
import { launchChromium } from "@netia/testkit/browser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Browser,
  logInInBrowser,
  type Page,
  startWebServer,
  UI_TIMEOUT,
  type WebServer,
} from "./harness";

const DOMAIN = "reply.netia.test";
const SIGNING_KEY = "browser-test-signing-key";

describe("an email conversation in Chromium", () => {
  let web: WebServer;
  let browser: Browser;
  let page: Page;
  let address: string;

  beforeAll(async () => {
    web = await startWebServer("email-inbound", {
      env: { INBOUND_EMAIL_DOMAIN: DOMAIN, INBOUND_EMAIL_SIGNING_KEY: SIGNING_KEY },
    });
    browser = await launchChromium();
    const { inbox, email, password } = await signUpAccount(
      web.runtime,
      `Mail Co ${randomUUID().slice(0, 8)}`,
    );
    address = inboxAddress(
      { secretKeyBase: web.runtime.config.secretKeyBase, inboundDomain: DOMAIN },
      inbox.id,
    ) as string;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(UI_TIMEOUT);
    page = await context.newPage();
    await logInInBrowser(page, web.server.url, email, password);
  }, 180_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await web?.close();
  });

  it("shows the mail as an email conversation with its subject", async () => {
    const raw = [
      "From: Grace Hopper <grace@example.com>",
      `To: ${address}`,
      "Subject: Printer on fire",
      `Message-ID: <${randomUUID()}@example.com>`,
      "Content-Type: text/plain; charset=utf-8",
      "",
      "It is on fire again.",
      "",
      "On Mon, Nov 30, 2026 at 9:00 AM Support <s@example.com> wrote:",
      "> Have you tried turning it off?",
      "",
    ].join("\r\n");
    const timestamp = String(Math.floor(Date.now() / 1000));
    const token = randomUUID().replace(/-/g, "");
    const form = new FormData();
    form.set("timestamp", timestamp);
    form.set("token", token);
    form.set(
      "signature",
      createHmac("sha256", SIGNING_KEY)
        .update(timestamp + token)
        .digest("hex"),
    );
    form.set("body-mime", raw);
    const response = await fetch(`${web.server.url}/api/email/inbound/mime`, {
      method: "POST",
      body: form,
    });
    expect(await response.json()).toEqual({ outcomes: ["accepted"] });

    await page.goto(`${web.server.url}/inbox`);
    const row = page.getByTestId("conversation-row").first();
    await row.getByTestId("conversation-channel-email").waitFor();
    expect(await row.getByTestId("conversation-subject").textContent()).toContain(
      "Printer on fire",
    );
    await row.click();
    await page.getByTestId("conversation-channel").waitFor();
    expect(await page.locator("h2 ~ [data-testid=conversation-subject]").textContent()).toBe(
      "Printer on fire",
    );
    expect(await page.getByTestId("message-body").last().textContent()).toBe(
      "It is on fire again.",
    );
    await page.getByTestId("message-via-email").waitFor();
    expect(await page.getByTestId("composer-email-notice").textContent()).toBe(
      "Your reply goes out by email to grace@example.com",
    );
  });

  it("shows each inbox's email address in the inbox settings", async () => {
    await page.goto(`${web.server.url}/settings/inboxes`);
    expect(await page.getByTestId("inbox-email-address").first().textContent()).toBe(address);
  });
});
