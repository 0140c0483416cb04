// The AI assistant as a visitor sees it, in real Chromium, with the widget
// embedded on another origin: the assistant typing, its reply streaming into
// a draft, the stored reply replacing the draft in place, the articles it
// cites, and "Talk to a person". The server runs in this process with a
// provider key but no job worker: the test plays the assistant's part itself,
// publishing the same events on the runtime's bus and storing the reply with
// createBotMessage, as the reply job does.
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { signUpAccount } from "@netia/api/testing";
import { createBotMessage, findConversation, handOff, publish } from "@netia/core";
import type { Runtime } from "@netia/runtime";
import { launchChromium } from "@netia/testkit/browser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build } from "../../../../packages/widget/scripts/build.mjs";
import {
  type Browser,
  type BrowserContext,
  type Page,
  startWebServer,
  UI_TIMEOUT,
  type WebServer,
} from "./harness";

describe("the AI assistant in the widget", () => {
  let web: WebServer;
  let runtime: Runtime;
  let browser: Browser;
  let host: Server;
  let pageUrl: string;
  let accountId: string;

  beforeAll(async () => {
    await build({ quiet: true });
    web = await startWebServer("widget-assistant", {
      env: {
        // The assistant is available on this server; nothing ever calls the
        // provider (no job worker), so the URL leads nowhere.
        OPENAI_API_KEY: "sk-test",
        OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
        RUN_JOBS: "false",
      },
    });
    runtime = web.runtime;
    browser = await launchChromium();
    const { admin, account } = await signUpAccount(runtime, "Acme AI");
    accountId = account.id;
    await admin.assistant.updateSettings({ enabled: true, botName: "Ava" });

    host = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><html><head><meta charset="utf-8"><title>Acme</title>
<script src="${web.server.url}/widget.js" data-token="${accountId}" async></script>
</head><body><h1>Acme</h1></body></html>`);
    });
    await new Promise<void>((done) => host.listen(0, "127.0.0.1", done));
    pageUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;

    // Warm up (dev mode compiles routes on first use).
    const input = encodeURIComponent(JSON.stringify({ accountToken: accountId }));
    for (const path of ["/widget.js", "/widget-app.js", `/api/trpc/widget.config?input=${input}`]) {
      const res = await fetch(`${web.server.url}${path}`);
      expect(res.status).toBe(200);
    }
  }, 240_000);

  afterAll(async () => {
    await new Promise<void>((done) => (host ? host.close(() => done()) : done()));
    await browser?.close().catch(() => {});
    await web?.close();
  }, 60_000);

  async function newContext(): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(UI_TIMEOUT);
    return context;
  }

  /** Opens the chat, sends `text` and returns the new conversation's id. */
  async function startConversation(page: Page, text: string): Promise<string> {
    const input = page.getByTestId("netia-input");
    await input.fill(text);
    await input.press("Enter");
    await page
      .locator('[data-testid="netia-message"][data-status="sent"]', { hasText: text })
      .waitFor();
    const id = await page.evaluate(
      (key) => JSON.parse(localStorage.getItem(key) ?? "null") as string | null,
      `netia:${accountId}:active`,
    );
    expect(id).toBeTruthy();
    return id as string;
  }

  const answeredBy = async (conversationId: string) =>
    (await findConversation(runtime.db, accountId, conversationId)).answeredBy;

  it("shows the assistant typing, streams its reply, replaces the draft once, cites safely, and hands off", async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      const pageErrors: string[] = [];
      page.on("pageerror", (error) => pageErrors.push(error.message));
      await page.goto(pageUrl);
      await page.getByTestId("netia-launcher").click();
      const conversationId = await startConversation(page, "Do you ship to Canada?");
      const ids = { accountId, conversationId };

      // The assistant answers here: the way to a person is offered.
      const talk = page.getByTestId("netia-talk-to-person");
      await talk.waitFor();
      expect(await talk.textContent()).toBe("Talk to a person");

      // The assistant is typing: named, and marked as AI (not an agent).
      publish(runtime, {
        type: "typing",
        ...ids,
        sender: { type: "bot", id: "assistant", name: "Ava" },
        private: false,
        expiresAt: new Date(Date.now() + 10_000).toISOString(),
      });
      const typing = page.getByTestId("netia-typing");
      await expect.poll(() => typing.textContent()).toBe("AIAva is typing…");
      expect(await typing.getAttribute("class")).toContain("bot");
      expect(await typing.locator(".nw-ai").textContent()).toBe("AI");

      // Tokens stream into a draft.
      const streamId = randomUUID();
      const draft = page.getByTestId("netia-draft");
      const delta = (index: number, text: string) =>
        publish(runtime, { type: "assistant.delta", ...ids, streamId, index, delta: text });
      delta(0, "Yes, we ship ");
      await expect.poll(() => draft.locator(".nw-msg").textContent()).toBe("Yes, we ship ");
      delta(1, "to **Canada**");
      await expect
        .poll(() => draft.locator(".nw-msg").textContent())
        .toBe("Yes, we ship to Canada");
      expect(await draft.locator("strong").textContent()).toBe("Canada");
      expect(await draft.getByTestId("netia-bot-name").textContent()).toBe("Ava AI");

      // From here on, every painted frame shows the reply exactly once: as the
      // draft or as the stored message, never both and never neither.
      await page.evaluate(() => {
        const root = document.querySelector("netia-widget")?.shadowRoot;
        const w = window as unknown as { __replies: number[]; __sampling: boolean };
        w.__replies = [];
        w.__sampling = true;
        const sample = () => {
          const drafts = root?.querySelectorAll('[data-testid="netia-draft"]').length ?? 0;
          const stored =
            root?.querySelectorAll('[data-testid="netia-message"][data-sender="bot"]').length ?? 0;
          w.__replies.push(drafts + stored);
          if (w.__sampling) requestAnimationFrame(sample);
        };
        requestAnimationFrame(sample);
      });
      await expect
        .poll(() => page.evaluate(() => (window as unknown as { __replies: number[] }).__replies))
        .not.toHaveLength(0);

      // The stored reply (what the reply job writes) replaces the draft.
      const sources = [
        { articleId: randomUUID(), title: "Shipping worldwide", url: "https://acme.test/shipping" },
        { articleId: randomUUID(), title: "Customs <b>fees</b>", url: "javascript:alert(1)" },
        { articleId: randomUUID(), title: "Delivery times", url: null },
      ];
      const { message } = await createBotMessage(runtime, {
        ...ids,
        body: "Yes, we ship to **Canada** within 5 days.",
        idempotencyKey: `reply:${streamId}`,
        metadata: { streamId, sources, model: "gpt-4o-mini" },
      });
      const reply = page.locator(`[data-testid="netia-message"][data-message-id="${message.id}"]`);
      await reply.waitFor();
      await draft.waitFor({ state: "detached" });
      // A late delta of the finished stream brings no draft back.
      delta(2, " (late)");
      await new Promise((r) => setTimeout(r, 300));
      const samples = await page.evaluate(() => {
        const w = window as unknown as { __replies: number[]; __sampling: boolean };
        w.__sampling = false;
        return w.__replies;
      });
      expect(samples.length).toBeGreaterThan(0);
      expect(new Set(samples)).toEqual(new Set([1]));
      expect(await page.getByTestId("netia-draft").count()).toBe(0);
      expect(await page.locator('[data-testid="netia-message"][data-sender="bot"]').count()).toBe(
        1,
      );
      expect(await reply.locator(".nw-msg").textContent()).toContain(
        "Yes, we ship to Canada within 5 days.",
      );
      expect(await reply.getByTestId("netia-bot-name").textContent()).toBe("Ava AI");
      // The reply ends the typing indicator.
      expect(await typing.textContent()).toBe("");

      // Citations: a safe link for the http(s) source, titles as plain text for the others.
      const cited = reply.getByTestId("netia-sources");
      expect(await cited.locator("li").allTextContents()).toEqual([
        "Shipping worldwide",
        "Customs <b>fees</b>",
        "Delivery times",
      ]);
      const links = cited.locator("a");
      expect(await links.count()).toBe(1);
      expect(await links.getAttribute("href")).toBe("https://acme.test/shipping");
      expect(await links.getAttribute("rel")).toBe("noopener noreferrer");
      expect(await links.getAttribute("target")).toBe("_blank");
      expect(await cited.locator("b").count()).toBe(0);

      // A draft the assistant abandons (a newer message came) disappears.
      const abandoned = randomUUID();
      publish(runtime, {
        type: "assistant.delta",
        ...ids,
        streamId: abandoned,
        index: 0,
        delta: "Let me check",
      });
      await page.getByTestId("netia-draft").waitFor();
      publish(runtime, { type: "assistant.discarded", ...ids, streamId: abandoned });
      await page.getByTestId("netia-draft").waitFor({ state: "detached" });

      // "Talk to a person": the conversation goes to people and the button goes away.
      expect(await answeredBy(conversationId)).toBe("assistant");
      await talk.click();
      const handedOff = page.getByTestId("netia-handed-off");
      await handedOff.waitFor();
      expect(await handedOff.textContent()).toBe(
        "We've let the team know. Someone will reply here soon.",
      );
      await talk.waitFor({ state: "detached" });
      expect(await answeredBy(conversationId)).toBe("people");
      // The team's private handoff note never reaches the visitor.
      expect(await page.getByText("Handed off to the team").count()).toBe(0);

      // After a reload the conversation is still with people: no button.
      await page.reload();
      await page.getByTestId("netia-launcher").click();
      await reply.waitFor();
      expect(await page.getByTestId("netia-talk-to-person").count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it("hides the button live when the conversation is handed off elsewhere", async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      await page.goto(pageUrl);
      await page.getByTestId("netia-launcher").click();
      const conversationId = await startConversation(page, "I want a refund");
      const talk = page.getByTestId("netia-talk-to-person");
      await talk.waitFor();
      // E.g. an admin's keyword rule, or an agent's reply.
      await handOff(runtime, { accountId, conversationId, reason: "keyword" });
      await talk.waitFor({ state: "detached" });
      expect(await answeredBy(conversationId)).toBe("people");
      expect(await page.getByText("Handed off to the team").count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 60_000);
});
