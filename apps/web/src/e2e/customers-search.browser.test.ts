// Customers, companies and search in Chromium: Ctrl+K opens the command
// palette, a word from a customer's message finds it and Enter opens the
// conversation at that message; an agent edits a customer from the customers
// list; a new company gets a customer from the customer's profile.
import { randomUUID } from "node:crypto";
import { newVisitor, signUpAccount } from "@netia/api/testing";
import { schema } from "@netia/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BrowserContext,
  logInInBrowser,
  type Page,
  startWebHarness,
  UI_TIMEOUT,
  type WebHarness,
} from "./harness";

describe("customers, companies and search in Chromium", () => {
  let harness: WebHarness;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  let seeded: {
    customerId: string;
    conversationId: string;
    messageId: string;
    word: string;
  };

  beforeAll(async () => {
    harness = await startWebHarness("customers");
    const { admin, account, email, password } = await signUpAccount(
      harness.runtime,
      `Acme ${randomUUID().slice(0, 8)}`,
    );
    const visitor = await newVisitor(harness.runtime, account.id);
    const word = `flamingo${randomUUID().slice(0, 6)}`;
    const { conversationId, message } = await visitor.widget.widget.sendMessage({
      body: `My ${word} order never arrived`,
      clientMessageId: randomUUID(),
    });
    await admin.customers.update({ id: visitor.customerId, name: "Grace Hopper" });
    seeded = { customerId: visitor.customerId, conversationId, messageId: message.id, word };

    context = await harness.newContext();
    page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    page.on("console", (m) => {
      // The app has no favicon yet; Chromium asks for one on every full page load.
      if (m.type() === "error" && !m.location().url.endsWith("/favicon.ico")) {
        problems.push(`console: ${m.text()} ${m.location().url}`);
      }
    });
    await logInInBrowser(page, harness.server.url, email, password);
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await harness?.close();
  }, 60_000);

  it("Ctrl+K, a word, Enter: lands on the message in its conversation", async () => {
    await page.getByTestId("account-name").waitFor();
    await page.keyboard.press("Control+k");
    const input = page.getByTestId("command-palette-input");
    await input.waitFor();
    await input.fill(seeded.word);
    const result = page.getByTestId("search-result").first();
    await result.waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => result.locator("mark").first().textContent()).toBe(seeded.word);
    await input.press("Enter");
    await page.waitForURL(
      `${harness.server.url}/inbox/${seeded.conversationId}?message=${seeded.messageId}`,
    );
    expect(await page.getByTestId("command-palette").count()).toBe(0);
  });

  it("emails the conversation's transcript from the customer sidebar", async () => {
    // Still on the conversation the search opened.
    const to = `grace-${randomUUID().slice(0, 6)}@example.com`;
    await page.getByTestId("transcript-email").fill(to);
    await page.getByTestId("send-transcript").click();
    await expect
      .poll(() => page.getByTestId("transcript-sent").textContent(), { timeout: UI_TIMEOUT })
      .toContain(to);
    const rows = (await harness.runtime.db.select().from(schema.outboundEmails)).filter(
      (row) => row.toAddress === to,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.kind).toBe("transcript");
    expect(rows[0]?.text).toContain(seeded.word);
  });

  it("edits a customer from the customers list", async () => {
    await page.getByTestId("nav-customers").click();
    await page.waitForURL(/\/customers$/);
    await page.getByTestId("customer-list").getByText("Grace Hopper").click();
    await page.waitForURL(`${harness.server.url}/customers/${seeded.customerId}`);
    await page.getByTestId("customer-edit").click();
    const form = page.getByTestId("customer-form");
    await form.getByLabel("Name").fill("Grace B. Hopper");
    await form.getByLabel("Email").fill("grace@example.com");
    await page.getByTestId("customer-save").click();
    await expect
      .poll(() => page.getByTestId("customer-name").textContent(), { timeout: UI_TIMEOUT })
      .toBe("Grace B. Hopper");
    expect(await page.getByTestId("customer-email").textContent()).toBe("grace@example.com");
  });

  it("creates a company and assigns the customer to it", async () => {
    await page.goto(`${harness.server.url}/companies`);
    const form = page.getByTestId("company-form");
    await form.getByLabel("Name").fill("Navy Labs");
    await form.getByLabel("Website").fill("navy.example");
    await page.getByTestId("company-submit").click();
    await page.waitForURL(/\/companies\/[0-9a-f-]{36}$/);
    await expect
      .poll(() => page.getByTestId("company-name").textContent(), { timeout: UI_TIMEOUT })
      .toBe("Navy Labs");

    await page.goto(`${harness.server.url}/customers/${seeded.customerId}`);
    const select = page.getByTestId("customer-company-select");
    await expect
      .poll(() => select.locator("option", { hasText: "Navy Labs" }).count(), {
        timeout: UI_TIMEOUT,
      })
      .toBe(1);
    await select.selectOption({ label: "Navy Labs" });
    const link = page.getByTestId("customer-company-link");
    await expect.poll(() => link.textContent(), { timeout: UI_TIMEOUT }).toBe("Navy Labs");

    await link.click();
    await page.waitForURL(/\/companies\/[0-9a-f-]{36}$/);
    await expect
      .poll(() => page.getByTestId("company-customers").textContent(), { timeout: UI_TIMEOUT })
      .toContain("Grace B. Hopper");
    expect(problems).toEqual([]);
  });
});
