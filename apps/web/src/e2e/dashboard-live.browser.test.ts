import type { AppRouter } from "@netia/api";
import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  splitLink,
  type TRPCClient,
  wsLink,
} from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { RunningServer } from "../../server";
import {
  type BrowserContext,
  type Page,
  signUpInBrowser,
  startWebHarness,
  UI_TIMEOUT,
  type WebHarness,
} from "./harness";

const SCREENSHOT = "/tmp/netia-inbox-live.png";
const SCREENSHOT_OFFLINE = "/tmp/netia-inbox-reconnecting.png";

/** A visitor's widget: HTTP for calls, a websocket for its live events (which make it "online"). */
function widgetClient(baseUrl: string, token: () => string | null) {
  const socket = createWSClient({
    url: `${baseUrl.replace(/^http/, "ws")}/api/trpc-ws`,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: () => {
      const value = token();
      return value ? { widgetToken: value } : {};
    },
    lazy: { enabled: true, closeMs: 0 },
  });
  const client: TRPCClient<AppRouter> = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: wsLink({ client: socket }),
        false: httpBatchLink({
          url: `${baseUrl}/api/trpc`,
          headers: () => {
            const value = token();
            return value ? { "x-netia-widget-token": value } : {};
          },
        }),
      }),
    ],
  });
  return { client, close: () => socket.close() };
}

describe("live dashboard in Chromium", () => {
  let harness: WebHarness;
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    harness = await startWebHarness("dashboard-live");
    ({ server } = harness);
    context = await harness.newContext();
    page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await harness?.close();
  }, 60_000);

  it("shows conversations, messages, typing and unread counts as they happen, and resumes after going offline", async () => {
    const banner = page.getByTestId("connection-status");
    const thread = page.getByTestId("message-list");
    const customerMessage = (text: string) =>
      thread.locator('[data-testid="message"][data-sender="customer"]', { hasText: text });

    const { accountId } = await signUpInBrowser(page, server.url, {
      label: "Live",
      name: "Ada Agent",
    });
    await page.getByTestId("conversation-empty").waitFor();
    // Everything below happens in this one page load; a reload would clear the marker.
    await page.evaluate(() => {
      (window as unknown as { netiaNoReload: boolean }).netiaNoReload = true;
    });
    expect(await banner.count()).toBe(0);

    let widgetToken: string | null = null;
    const widget = widgetClient(server.url, () => widgetToken);
    try {
      const identified = await widget.client.widget.identify.mutate({
        accountToken: accountId,
        visitorId: `v-${crypto.randomUUID()}`,
        customer: { name: "Grace Hopper" },
      });
      widgetToken = identified.sessionToken;

      // (a) A new conversation shows up in the list, unread.
      const first = await widget.client.widget.sendMessage.mutate({
        body: "Is anyone there?",
        clientMessageId: crypto.randomUUID(),
      });
      const conversationId = first.conversationId;
      const row = page.locator(
        `[data-testid="conversation-row"][data-conversation-id="${conversationId}"]`,
      );
      await row.waitFor();
      await row.getByTestId("unread-dot").waitFor();
      expect(await row.getByTestId("conversation-preview").textContent()).toBe("Is anyone there?");

      // (d) The unread count is in the title and the views count the conversation.
      await expect.poll(() => page.title(), { timeout: UI_TIMEOUT }).toBe("(1) Inbox · Netia");
      await expect
        .poll(() => page.getByTestId("view-count-all").textContent(), { timeout: UI_TIMEOUT })
        .toBe("1");
      expect(await page.getByTestId("view-count-unassigned").textContent()).toBe("1");

      // Opening the conversation reads it: the count leaves the title.
      await row.click();
      await page.waitForURL(new RegExp(`/inbox/${conversationId}$`));
      await customerMessage("Is anyone there?").waitFor();
      await expect.poll(() => page.title(), { timeout: UI_TIMEOUT }).toBe("Conversation · Netia");

      // The visitor's widget subscribes to the conversation: the customer is online.
      const widgetEvents: { type: string; sender?: { type: string } }[] = [];
      const events = widget.client.widget.events.subscribe(
        { conversationId },
        {
          onData: (event) => {
            widgetEvents.push("data" in event && "id" in event ? event.data : event);
          },
        },
      );
      try {
        await page.getByTestId("conversation-title").waitFor();
        await page.locator('[aria-label="Conversation"] [data-testid="customer-online"]').waitFor();
        await row.getByTestId("customer-online").waitFor();

        // (c) The customer types: the thread says so.
        await widget.client.widget.typing.mutate({ conversationId });
        const typing = page.getByTestId("typing-indicator");
        await typing.waitFor();
        expect(await typing.textContent()).toBe("Grace Hopper is typing…");

        // (b) Their message appears in the open thread, and the typing stops.
        await widget.client.widget.sendMessage.mutate({
          conversationId,
          body: "My invoice is wrong",
          clientMessageId: crypto.randomUUID(),
        });
        await customerMessage("My invoice is wrong").waitFor();
        await typing.waitFor({ state: "detached" });

        // The agent typing reaches the widget (reported at most every 2 s).
        await page.getByTestId("composer-input").pressSequentially("Let me check", { delay: 20 });
        await expect
          .poll(() => widgetEvents.some((e) => e.type === "typing" && e.sender?.type === "user"), {
            timeout: UI_TIMEOUT,
          })
          .toBe(true);
        await page.getByTestId("composer-input").press("Control+Enter");
        const reply = thread.locator('[data-testid="message"][data-sender="user"]', {
          hasText: "Let me check",
        });
        await reply.waitFor();
        expect(await reply.getByTestId("message-author").textContent()).toBe("You");
      } finally {
        events.unsubscribe();
      }
      // The widget is gone: so is the online dot.
      await page
        .locator('[aria-label="Conversation"] [data-testid="customer-online"]')
        .waitFor({ state: "detached" });

      // (e) The network goes away: the banner says so. A message sent meanwhile
      // shows up once the socket is back, without a reload. (Chromium's offline
      // mode stalls an open websocket instead of closing it; the dashboard
      // drops it on the browser's "offline" event, or else on a missed pong.)
      await context.setOffline(true);
      await banner.waitFor();
      await page.screenshot({ path: SCREENSHOT_OFFLINE });
      expect(await banner.getAttribute("role")).toBe("status");
      expect(await banner.textContent()).toContain("Reconnecting…");
      await widget.client.widget.sendMessage.mutate({
        conversationId,
        body: "Sent while you were offline",
        clientMessageId: crypto.randomUUID(),
      });
      await context.setOffline(false);
      await banner.waitFor({ state: "detached" });
      await customerMessage("Sent while you were offline").waitFor();
      await expect
        .poll(() => row.getByTestId("conversation-preview").textContent(), { timeout: UI_TIMEOUT })
        .toBe("Sent while you were offline");
      expect(await thread.getByText("Sent while you were offline").count()).toBe(1);

      expect(
        await page.evaluate(
          () => (window as unknown as { netiaNoReload?: boolean }).netiaNoReload === true,
        ),
      ).toBe(true);
      await page.screenshot({ path: SCREENSHOT });
      expect(pageErrors).toEqual([]);
    } finally {
      await widget.close();
    }
  }, 240_000);
});
