import type { AppRouter } from "@netia/api";
import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  type TRPCClient,
  wsLink,
} from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { RunningServer } from "../../server";
import {
  type Browser,
  type BrowserContext,
  type Page,
  startWebHarness,
  UI_TIMEOUT,
  type WebHarness,
} from "./harness";

const SCREENSHOT = "/tmp/netia-inbox.png";

function widgetClient(baseUrl: string, token: () => string | null): TRPCClient<AppRouter> {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${baseUrl}/api/trpc`,
        headers: () => {
          const value = token();
          return value ? { "x-netia-widget-token": value } : {};
        },
      }),
    ],
  });
}

describe("dashboard in Chromium", () => {
  let harness: WebHarness;
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    harness = await startWebHarness("dashboard");
    ({ server, browser } = harness);
    context = await harness.newContext();
    page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    // Anything the Content-Security-Policy blocks shows as a console error.
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await harness?.close();
  }, 60_000);

  it("signs up, answers a customer from the inbox, and the customer sees the reply", async () => {
    const suffix = crypto.randomUUID().slice(0, 8);
    const email = `agent-${suffix}@example.com`;

    // 1. Sign up in the UI; the app lands in the inbox.
    await page.goto(`${server.url}/signup`);
    await page.getByLabel("Your name").fill("Ada Agent");
    await page.getByLabel("Work email").fill(email);
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByLabel("Company name").fill(`Acme ${suffix}`);
    await page.getByTestId("signup-submit").click();
    await page.waitForURL(/\/inbox$/);
    await expect
      .poll(() => page.getByTestId("account-name").textContent(), { timeout: UI_TIMEOUT })
      .toBe(`Acme ${suffix}`);
    await page.getByTestId("conversation-empty").waitFor();

    const me = await page.evaluate(async () => {
      const res = await fetch("/api/trpc/auth.me");
      return (await res.json()) as { result: { data: { account: { id: string } } } };
    });
    const accountId = me.result.data.account.id;

    // 2. A customer writes in through the widget procedures.
    let widgetToken: string | null = null;
    const widget = widgetClient(server.url, () => widgetToken);
    const identified = await widget.widget.identify.mutate({
      accountToken: accountId,
      visitorId: `v-${crypto.randomUUID()}`,
    });
    widgetToken = identified.sessionToken;
    const sent = await widget.widget.sendMessage.mutate({
      body: "Hello from a customer",
      clientMessageId: crypto.randomUUID(),
    });
    const conversationId = sent.conversationId;

    // 3. The inbox lists it, unread, with the message as preview.
    await page.reload();
    const row = page.locator(
      `[data-testid="conversation-row"][data-conversation-id="${conversationId}"]`,
    );
    await row.waitFor();
    expect(await row.getByTestId("conversation-preview").textContent()).toBe(
      "Hello from a customer",
    );
    expect(await row.getByTestId("unread-dot").count()).toBe(1);

    // 4. Open it and answer with Ctrl+Enter.
    await row.click();
    await page.waitForURL(new RegExp(`/inbox/${conversationId}$`));
    await page
      .locator('[data-testid="message"][data-sender="customer"]', {
        hasText: "Hello from a customer",
      })
      .waitFor();
    const reply = `Hi! Happy to help (${suffix}).`;
    await page.getByTestId("composer-input").fill(reply);
    await page.getByTestId("composer-input").press("Control+Enter");
    await page
      .locator('[data-testid="message"][data-sender="user"][data-type="reply"]', {
        hasText: reply,
      })
      .waitFor();
    expect(await page.getByTestId("composer-input").inputValue()).toBe("");

    // Opening the conversation marked it read; the list refreshes after the reply.
    await row.getByTestId("unread-dot").waitFor({ state: "detached" });
    await expect
      .poll(() => row.getByTestId("conversation-preview").textContent(), { timeout: UI_TIMEOUT })
      .toBe(`Agent: ${reply}`);

    // 5. A private note, added with the toggle and the Send button.
    await page.getByTestId("note-toggle").click();
    await page.getByLabel("Private note", { exact: true }).fill("Customer is on the trial plan");
    await page.getByTestId("composer-send").click();
    await page
      .locator('[data-testid="message"][data-type="note"]', {
        hasText: "Customer is on the trial plan",
      })
      .waitFor();

    await page.screenshot({ path: SCREENSHOT });

    // 6. The customer sees the reply and not the note.
    const seen = await widget.widget.listMessages.query({ conversationId });
    const bodies = seen.items.map((m) => m.body);
    expect(bodies).toContain("Hello from a customer");
    expect(bodies).toContain(reply);
    expect(bodies).not.toContain("Customer is on the trial plan");

    // The same over the websocket, authenticated by the token in the connection params.
    const socket = createWSClient({
      url: `${server.url.replace(/^http/, "ws")}/api/trpc-ws`,
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
      connectionParams: { widgetToken },
    });
    try {
      const live = createTRPCClient<AppRouter>({ links: [wsLink({ client: socket })] });
      const overSocket = await live.widget.listMessages.query({ conversationId });
      expect(overSocket.items.map((m) => m.body)).toEqual(bodies);
    } finally {
      await socket.close();
    }

    // 7. Close the conversation: it leaves the open views and shows in Closed.
    await page.getByTestId("close-conversation").click();
    await expect
      .poll(() => page.getByTestId("conversation-status").textContent(), { timeout: UI_TIMEOUT })
      .toBe("closed");
    await row.waitFor({ state: "detached" });
    await page.getByTestId("view-closed").click();
    await page
      .locator(`[data-testid="conversation-row"][data-conversation-id="${conversationId}"]`)
      .waitFor();

    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  }, 180_000);

  it("sends a signed-out visitor to the login page and shows a failed login", async () => {
    const fresh = await browser.newContext();
    try {
      const other = await fresh.newPage();
      other.setDefaultTimeout(UI_TIMEOUT);
      await other.goto(`${server.url}/`);
      await other.waitForURL(/\/login/);
      await other.getByLabel("Email").fill("nobody@example.com");
      await other.getByLabel("Password").fill("wrong password");
      await other.getByTestId("login-submit").click();
      const error = other.getByTestId("form-error");
      await error.waitFor();
      expect((await error.textContent())?.length).toBeGreaterThan(0);
    } finally {
      await fresh.close();
    }
  }, 60_000);
});
