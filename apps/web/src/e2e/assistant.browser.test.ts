// The AI assistant in the dashboard, in Chromium: its settings page, the
// assistant's reply streaming into the open thread, and help for agents.
// Without OPENAI_API_KEY the server says why the assistant is off; with it
// (pointed at the local fake of the OpenAI protocol) "Suggest reply" streams
// the fake's answer into the composer.
import { newVisitor } from "@netia/api/testing";
import { createBotMessage, getAssistantSettings, listInboxAssistants, publish } from "@netia/core";
import type { Runtime } from "@netia/runtime";
import { launchChromium } from "@netia/testkit/browser";
import { type FakeOpenAI, startFakeOpenAI } from "@netia/testkit/openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Browser,
  signUpInBrowser,
  startWebServer,
  UI_TIMEOUT,
  type WebServer,
} from "./harness";

/** A visitor of `accountId` writes in; returns the conversation. */
async function customerWrites(runtime: Runtime, accountId: string, body: string) {
  const visitor = await newVisitor(runtime, accountId);
  const { conversationId } = await visitor.widget.widget.sendMessage({
    body,
    clientMessageId: crypto.randomUUID(),
  });
  return conversationId;
}

async function newPage(browser: Browser, errors: string[]) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(UI_TIMEOUT);
  const page = await context.newPage();
  page.on("pageerror", (error) => errors.push(error.message));
  return { context, page };
}

describe("the AI assistant in the dashboard, on a server without an AI provider", () => {
  let web: WebServer;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    web = await startWebServer("assistant-off");
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await web?.close();
  }, 60_000);

  it("says why it is off, saves the business context and an inbox's switch, and streams a reply into the thread", {
    timeout: 180_000,
  }, async () => {
    const { context, page } = await newPage(browser, pageErrors);
    try {
      const { accountId } = await signUpInBrowser(page, web.server.url, { label: "assistant" });

      // Settings → AI assistant: the banner says the server lacks the key.
      await page.getByTestId("nav-settings").click();
      await page.getByRole("link", { name: "AI assistant" }).click();
      await page.waitForURL(/\/settings\/assistant$/);
      const banner = page.getByTestId("assistant-status");
      await banner.waitFor();
      expect(await banner.getAttribute("data-available")).toBe("false");
      expect(await banner.textContent()).toContain("OPENAI_API_KEY");

      // A mistake is caught before saving and shown on its field.
      await page.getByTestId("assistant-temperature").fill("5");
      await page.getByTestId("assistant-settings-save").click();
      await page.getByTestId("field-error-temperature").waitFor();
      expect(await page.getByTestId("assistant-temperature").getAttribute("aria-invalid")).toBe(
        "true",
      );

      // The business context, an FAQ and a handoff rule, saved.
      await page.getByTestId("assistant-temperature").fill("0.4");
      await page.getByTestId("assistant-enabled").check();
      await page.getByTestId("assistant-botName").fill("Ava");
      await page.getByTestId("assistant-businessName").fill("Acme Bikes");
      await page.getByTestId("assistant-description").fill("We repair bicycles in Lyon.");
      await page.getByTestId("faq-add").click();
      await page.getByTestId("faq-question").fill("Do you fix e-bikes?");
      await page.getByTestId("faq-answer").fill("Yes, every brand.");
      await page.getByTestId("assistant-keywords").fill("refund");
      await page.getByTestId("assistant-settings-save").click();
      await page.getByTestId("save-status").getByText("Saved").waitFor();
      await page.screenshot({ path: "/tmp/netia-assistant-settings.png", fullPage: true });

      expect(await getAssistantSettings(web.runtime.db, accountId)).toMatchObject({
        enabled: true,
        botName: "Ava",
        businessName: "Acme Bikes",
        description: "We repair bicycles in Lyon.",
        faqs: [{ question: "Do you fix e-bikes?", answer: "Yes, every brand." }],
        temperature: 0.4,
        handoffRules: {
          keywords: ["refund"],
          afterBotReplies: null,
          outsideHoursCollectEmail: false,
        },
      });

      // The saved state survives a reload.
      await page.reload();
      await page.getByTestId("assistant-businessName").waitFor();
      expect(await page.getByTestId("assistant-businessName").inputValue()).toBe("Acme Bikes");

      // The default inbox's switch, saved as it is flipped.
      const [inbox] = await listInboxAssistants(web.runtime.db, accountId);
      if (!inbox) throw new Error("no inbox");
      const inboxSwitch = page.getByTestId(`inbox-assistant-${inbox.inboxId}`);
      expect(await inboxSwitch.isChecked()).toBe(true);
      // click, not uncheck: the switch shows the new state once the change is under way, a
      // moment after the click, which uncheck() would take for a click that did nothing.
      await inboxSwitch.click();
      await expect.poll(() => inboxSwitch.isChecked()).toBe(false);
      await expect
        .poll(
          async () => (await listInboxAssistants(web.runtime.db, accountId))[0]?.assistantEnabled,
        )
        .toBe(false);

      // The thread: the assistant types, its reply streams in, then the stored reply replaces it.
      const conversationId = await customerWrites(web.runtime, accountId, "Do you fix e-bikes?");
      await page.goto(`${web.server.url}/inbox/${conversationId}`);
      const thread = page.getByTestId("message-list");
      await thread.locator('[data-sender="customer"]').waitFor();
      // Help needs the provider: the composer says so instead of offering it.
      await page.getByTestId("help-unavailable").waitFor();
      expect(await page.getByTestId("help-suggest").isDisabled()).toBe(true);

      const ids = { accountId, conversationId };
      publish(web.runtime, {
        type: "typing",
        ...ids,
        sender: { type: "bot", id: "assistant", name: "Ava" },
        private: false,
        expiresAt: new Date(Date.now() + 5_000).toISOString(),
      });
      await page.getByTestId("typing-indicator").getByText("AI is typing…").waitFor();

      const streamId = crypto.randomUUID();
      // Out of order: the draft shows nothing past a missing piece.
      publish(web.runtime, {
        type: "assistant.delta",
        ...ids,
        streamId,
        index: 1,
        delta: "we fix ",
      });
      publish(web.runtime, { type: "assistant.delta", ...ids, streamId, index: 0, delta: "Yes, " });
      const draft = page.locator(`[data-testid="assistant-draft"][data-stream-id="${streamId}"]`);
      await draft.getByText("Yes, we fix").waitFor();
      publish(web.runtime, {
        type: "assistant.delta",
        ...ids,
        streamId,
        index: 2,
        delta: "every brand.",
      });
      await draft.getByText("Yes, we fix every brand.").waitFor();
      await page.screenshot({ path: "/tmp/netia-assistant-draft.png" });

      // A discarded draft disappears.
      const dropped = crypto.randomUUID();
      publish(web.runtime, {
        type: "assistant.delta",
        ...ids,
        streamId: dropped,
        index: 0,
        delta: "Hmm",
      });
      const droppedDraft = page.locator(
        `[data-testid="assistant-draft"][data-stream-id="${dropped}"]`,
      );
      await droppedDraft.waitFor();
      publish(web.runtime, { type: "assistant.discarded", ...ids, streamId: dropped });
      await droppedDraft.waitFor({ state: "detached" });

      await createBotMessage(web.runtime, {
        ...ids,
        body: "Yes, we fix every brand.",
        idempotencyKey: `reply:${streamId}`,
        metadata: {
          streamId,
          model: "gpt-4o-mini",
          promptTokens: 120,
          completionTokens: 8,
          sources: [
            {
              articleId: crypto.randomUUID(),
              title: "E-bike repairs",
              url: "https://acme.example/e-bikes",
            },
          ],
        },
      });
      const reply = thread.locator('[data-testid="message"][data-sender="bot"]', {
        hasText: "Yes, we fix every brand.",
      });
      await reply.waitFor();
      await draft.waitFor({ state: "detached" });
      expect(await reply.getByTestId("message-author").textContent()).toBe("AI");
      expect(await reply.getByTestId("message-sources").getByRole("link").textContent()).toBe(
        "E-bike repairs",
      );
      await reply.getByTestId("message-usage").locator("summary").click();
      expect(await reply.getByTestId("message-usage").textContent()).toContain("120 + 8 tokens");
      expect(await page.getByTestId("assistant-draft").count()).toBe(0);
      await page.screenshot({ path: "/tmp/netia-assistant-reply.png" });
      expect(await page.getByTestId("typing-indicator").count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("help for agents in the dashboard, with the AI provider", () => {
  let web: WebServer;
  let browser: Browser;
  let fake: FakeOpenAI;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    fake = await startFakeOpenAI({ apiKey: "sk-test" });
    web = await startWebServer("assistant-on", {
      env: { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.url },
    });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await web?.close();
    await fake?.close();
  }, 60_000);

  it("streams a suggested reply into the composer without sending it, and counts it on the AI page", {
    timeout: 180_000,
  }, async () => {
    const { context, page } = await newPage(browser, pageErrors);
    try {
      const { accountId } = await signUpInBrowser(page, web.server.url, { label: "help" });
      const conversationId = await customerWrites(web.runtime, accountId, "Where is my order?");
      const pieces = ["Sorry for the wait! ", "Your order ships ", "tomorrow."];
      fake.onChat(() => ({ chunks: pieces, chunkDelayMs: 20 }));

      await page.goto(`${web.server.url}/inbox/${conversationId}`);
      await page.getByTestId("message-list").locator('[data-sender="customer"]').waitFor();
      const composer = page.getByTestId("composer-input");
      await page.getByTestId("help-suggest").click();
      await expect.poll(() => composer.inputValue(), { timeout: UI_TIMEOUT }).toBe(pieces.join(""));
      expect(fake.chats).toHaveLength(1);
      expect(fake.chats[0]?.stream).toBe(true);
      // Editable, and not sent: only the customer's message is in the thread.
      await composer.fill(`${pieces.join("")} Thanks!`);
      expect(await page.getByTestId("message").count()).toBe(1);

      // The rewrite buttons work on the composer's text.
      fake.onChat(() => ({ chunks: ["Your order ships tomorrow."] }));
      await page.getByTestId("help-shorter").click();
      await expect
        .poll(() => composer.inputValue(), { timeout: UI_TIMEOUT })
        .toBe("Your order ships tomorrow.");
      const rewriteRequest = fake.chats[1]?.messages.at(-1) as { content: string } | undefined;
      expect(rewriteRequest?.content).toBe(`${pieces.join("")} Thanks!`);

      await page.getByTestId("nav-assistant").click();
      await page.waitForURL(/\/assistant$/);
      expect(await page.getByTestId("assistant-status").getAttribute("data-available")).toBe(
        "true",
      );
      await expect
        .poll(() => page.getByTestId("month-drafted").textContent(), { timeout: UI_TIMEOUT })
        .toBe("2");
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
