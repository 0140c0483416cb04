// The shared inbox in Chromium against the production build: filters kept in
// the URL across a reload; assign, tag, priority, mark unread and snooze from
// the thread header (the snoozed conversation comes back by itself); and a
// list scrolled down keeps its place when a new conversation arrives.
import type { AppRouter } from "@netia/api";
import { schema } from "@netia/db";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server";
import {
  type BrowserContext,
  type Page,
  signUpInBrowser,
  startWebHarness,
  UI_TIMEOUT,
  type WebHarness,
} from "./harness";

const ROW = '[data-testid="conversation-row"]';

function widget(baseUrl: string) {
  let token: string | null = null;
  const client = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${baseUrl}/api/trpc`,
        headers: (): Record<string, string> => (token ? { "x-netia-widget-token": token } : {}),
      }),
    ],
  });
  return {
    async start(accountId: string, name: string, body: string) {
      const session = await client.widget.identify.mutate({
        accountToken: accountId,
        visitorId: `v-${crypto.randomUUID()}`,
        customer: { name },
      });
      token = session.sessionToken;
      const sent = await client.widget.sendMessage.mutate({
        body,
        clientMessageId: crypto.randomUUID(),
      });
      return sent.conversationId;
    },
  };
}

describe("inbox in Chromium", () => {
  let harness: WebHarness;
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    harness = await startWebHarness("inbox");
    ({ server } = harness);
    context = await harness.newContext();
    page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await harness?.close();
  }, 60_000);

  it("filters survive a reload; thread actions; snooze comes back; the list keeps its place", async () => {
    await signUpInBrowser(page, server.url, { label: "Inbox", name: "Ada Agent" });
    await page.getByTestId("conversation-empty").waitFor();
    const { accountId, inboxId } = await page.evaluate(async () => {
      const me = (await (await fetch("/api/trpc/auth.me")).json()) as {
        result: { data: { account: { id: string } } };
      };
      const inboxes = (await (await fetch("/api/trpc/inboxes.list")).json()) as {
        result: { data: { id: string }[] };
      };
      return { accountId: me.result.data.account.id, inboxId: inboxes.result.data[0]?.id ?? "" };
    });

    // Sixty older conversations, so the list is longer than the screen.
    const db = harness.runtime.db;
    const customers = await db
      .insert(schema.customers)
      .values(Array.from({ length: 60 }, (_, i) => ({ accountId, name: `Older ${i}` })))
      .returning({ id: schema.customers.id });
    await db.insert(schema.conversations).values(
      customers.map((c, i) => ({
        accountId,
        inboxId,
        customerId: c.id,
        lastActivityAt: new Date(Date.now() - (i + 1) * 60_000),
      })),
    );
    const visitor = widget(server.url);
    const grace = await visitor.start(accountId, "Grace Hopper", "Where is my order?");
    const graceRow = page.locator(`${ROW}[data-conversation-id="${grace}"]`);
    await page.reload();
    await graceRow.waitFor();
    // Virtualized: far fewer rows in the page than conversations in the list.
    expect(await page.locator(ROW).count()).toBeLessThan(40);

    // Thread actions: assign, tag (created on the fly), priority.
    await graceRow.click();
    await page.waitForURL(new RegExp(`/inbox/${grace}$`));
    const me = await page.evaluate(async () => {
      const body = (await (await fetch("/api/trpc/auth.me")).json()) as {
        result: { data: { user: { id: string } } };
      };
      return body.result.data.user.id;
    });
    await page.getByTestId("assignee-select").selectOption(me);
    await graceRow.getByTestId("conversation-assignee").waitFor();
    await page.getByTestId("tag-conversation").click();
    await page.getByTestId("tag-input").fill("vip");
    await page.getByTestId("tag-input").press("Enter");
    await page.getByTestId("conversation-header-tag").filter({ hasText: "vip" }).waitFor();
    await graceRow.getByTestId("conversation-tag").filter({ hasText: "vip" }).waitFor();
    await page.keyboard.press("Escape");
    await page.getByTestId("toggle-priority").click();
    await expect
      .poll(() => page.getByTestId("toggle-priority").getAttribute("aria-pressed"), {
        timeout: UI_TIMEOUT,
      })
      .toBe("true");
    // The `?` shortcut lists the shortcuts; typing in a field does not fire them.
    await page.keyboard.press("?");
    await page.getByTestId("shortcuts-help").waitFor({ state: "visible" });
    await page.keyboard.press("Escape");

    // Mark unread: back to the list, the row shows it unread.
    await page.getByTestId("mark-unread").click();
    await page.waitForURL(/\/inbox$/);
    await graceRow.getByTestId("unread-dot").waitFor();

    // Filters go to the URL and survive a reload.
    await page.getByTestId("filter-tag").selectOption({ label: "vip" });
    await page.waitForURL(/\/inbox\?tag=/);
    await page.getByTestId("view-mine").click();
    await page.waitForURL(/view=mine/);
    await page.reload();
    await graceRow.waitFor();
    expect(page.url()).toMatch(/view=mine/);
    expect(page.url()).toMatch(/tag=/);
    expect(await page.locator(ROW).count()).toBe(1);
    expect(await page.getByTestId("filter-tag").locator("option:checked").textContent()).toBe(
      "vip",
    );

    // Snooze a few seconds ahead: it leaves the view, and comes back by itself.
    await graceRow.click();
    await page.getByTestId("snooze-conversation").click();
    const until = await page.evaluate(() => {
      const d = new Date(Date.now() + 6_000);
      const pad = (n: number) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(
        d.getHours(),
      )}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    });
    await page.getByTestId("snooze-custom-input").fill(until);
    await page.getByTestId("snooze-custom-submit").click();
    await expect
      .poll(() => page.getByTestId("conversation-status").textContent(), { timeout: UI_TIMEOUT })
      .toBe("snoozed");
    await graceRow.waitFor({ state: "detached" });
    await graceRow.waitFor({ timeout: UI_TIMEOUT });
    await expect
      .poll(() => page.getByTestId("conversation-status").textContent(), { timeout: UI_TIMEOUT })
      .toBe("open");

    // Scrolled down, a new conversation does not move the list: a pill counts it.
    await page.goto(`${server.url}/inbox`);
    await graceRow.waitFor();
    const list = page.getByTestId("conversation-list");
    await list.evaluate((el) => {
      el.scrollTop = 20 * 84;
    });
    const topRow = () =>
      list.evaluate((el) => {
        const box = el.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + 40, box.top + 10);
        return hit?.closest("[data-conversation-id]")?.getAttribute("data-conversation-id");
      });
    await expect.poll(topRow, { timeout: UI_TIMEOUT }).toBeTruthy();
    const before = await topRow();
    const newcomer = await widget(server.url).start(accountId, "Newcomer", "Hello from a new one");
    await page.getByTestId("new-conversations-pill").filter({ hasText: "1 new" }).waitFor();
    expect(await topRow()).toBe(before);
    await page.getByTestId("new-conversations-pill").click();
    await expect
      .poll(() => page.locator(ROW).first().getAttribute("data-conversation-id"), {
        timeout: UI_TIMEOUT,
      })
      .toBe(newcomer);
    expect(pageErrors).toEqual([]);
  }, 240_000);
});
