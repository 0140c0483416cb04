// The reports page in Chromium, over conversations written straight into the
// database at chosen times: the charts draw, the key figures are the seeded
// numbers, and another range asks the server again. Also at 390 px wide.
import { randomUUID } from "node:crypto";
import { signUpAccount } from "@netia/api/testing";
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

const DAY = 86_400_000;

/**
 * Three conversations 1–3 days ago (in the last 7 days) and two 20 days ago
 * (in the last 30 only). First replies 60, 120 and 180 s in the recent ones;
 * two of them closed after 600 and 1,800 s.
 */
const SEED = [
  { daysAgo: 1, firstReply: 60, closed: 600 },
  { daysAgo: 2, firstReply: 120, closed: 1800 },
  { daysAgo: 3, firstReply: 180, closed: null },
  { daysAgo: 20, firstReply: 3600, closed: null },
  { daysAgo: 20.1, firstReply: null, closed: null },
] as const;

describe("reports in Chromium", () => {
  let harness: WebHarness;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  let twentyDaysAgo: string;

  beforeAll(async () => {
    harness = await startWebHarness("reports");
    const { account, inbox, user, email, password } = await signUpAccount(
      harness.runtime,
      `Reports ${randomUUID().slice(0, 8)}`,
    );
    const { db } = harness.runtime;
    const [customer] = await db
      .insert(schema.customers)
      .values({ accountId: account.id, name: "Ada" })
      .returning({ id: schema.customers.id });
    if (!customer) throw new Error("no customer");
    const now = Date.now();
    for (const c of SEED) {
      const createdAt = new Date(now - c.daysAgo * DAY);
      const firstRepliedAt =
        c.firstReply === null ? null : new Date(+createdAt + c.firstReply * 1000);
      const closedAt = c.closed === null ? null : new Date(+createdAt + c.closed * 1000);
      const [conversation] = await db
        .insert(schema.conversations)
        .values({
          accountId: account.id,
          inboxId: inbox.id,
          customerId: customer.id,
          assigneeId: firstRepliedAt ? user.id : null,
          status: closedAt ? "closed" : "open",
          firstRepliedAt,
          closedAt,
          createdAt,
          lastActivityAt: createdAt,
        })
        .returning({ id: schema.conversations.id });
      if (!conversation) throw new Error("no conversation");
      const base = { accountId: account.id, conversationId: conversation.id };
      await db.insert(schema.messages).values({
        ...base,
        senderType: "customer",
        customerId: customer.id,
        body: "hi",
        createdAt,
      });
      if (firstRepliedAt) {
        await db.insert(schema.messages).values({
          ...base,
          senderType: "user",
          userId: user.id,
          body: "hello",
          createdAt: firstRepliedAt,
        });
      }
    }
    twentyDaysAgo = new Date(now - 20 * DAY).toISOString().slice(0, 10);

    context = await harness.newContext();
    page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    page.on("console", (m) => {
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

  const kpi = (id: string) => page.getByTestId(`${id}-value`).textContent();
  const ready = (id: string) =>
    page.locator(`[data-testid="${id}"][data-state="ready"]`).waitFor({ timeout: UI_TIMEOUT });

  it("draws every chart of the last 30 days with the seeded numbers", async () => {
    await page.getByTestId("nav-reports").click();
    await page.waitForURL(/\/reports$/);
    for (const id of [
      "chart-conversations",
      "chart-messages",
      "chart-heatmap",
      "chart-agents",
      "chart-inboxes",
    ]) {
      await ready(id);
    }
    await expect.poll(() => kpi("kpi-conversations"), { timeout: UI_TIMEOUT }).toBe("5");
    expect(await kpi("kpi-sent")).toBe("4");
    expect(await kpi("kpi-received")).toBe("5");
    // 60, 120, 180, 3600 s: median 150 s; p90 at position 2.7: 180 + 0.7 × 3420 = 2574 s.
    expect(await kpi("kpi-first-response")).toBe("3 min");
    expect(await page.getByTestId("kpi-first-response-p90").textContent()).toContain("p90 43 min");

    // Bars for the days with conversations, two lines, shaded heatmap cells.
    const bars = page.getByTestId("chart-conversations").locator("path.recharts-rectangle");
    await expect.poll(() => bars.count(), { timeout: UI_TIMEOUT }).toBeGreaterThanOrEqual(4);
    const lines = page.getByTestId("chart-messages").locator("path.recharts-curve");
    expect(await lines.count()).toBeGreaterThanOrEqual(2);
    expect(await lines.first().getAttribute("d")).toMatch(/^M/);
    const shaded = page.locator('[data-testid="heatmap-cell"]:not([data-count="0"])');
    const counts = await shaded.evaluateAll((cells) =>
      cells.map((c) => Number(c.getAttribute("data-count"))),
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect(await page.getByTestId("agent-replies").first().textContent()).toBe("4");
    expect(await page.getByTestId("inbox-conversations").first().textContent()).toBe("5");
  });

  it("asks again for another range: the last 7 days, then a custom day", async () => {
    await page.getByTestId("range-7").click();
    await expect.poll(() => kpi("kpi-conversations"), { timeout: UI_TIMEOUT }).toBe("3");
    expect(await kpi("kpi-sent")).toBe("3");
    // 60, 120, 180 s.
    expect(await kpi("kpi-first-response")).toBe("2 min");
    // Closed after 600 and 1,800 s: median 1,200 s.
    expect(await kpi("kpi-resolution")).toBe("20 min");

    await page.getByTestId("range-from").fill(twentyDaysAgo);
    await page.getByTestId("range-to").fill(twentyDaysAgo);
    await page.getByTestId("range-apply").click();
    // 20 and 20.1 days ago fall on one or two UTC days; the chosen day has at least one.
    await expect
      .poll(async () => ["1", "2"].includes((await kpi("kpi-conversations")) ?? ""), {
        timeout: UI_TIMEOUT,
      })
      .toBe(true);
    expect(await kpi("kpi-resolution")).toBe("–");
  });

  it("fits a 390 px wide screen", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId("range-30").click();
    await ready("chart-messages");
    // The elements of the page (the shared header aside) that stick out on the
    // right, outermost first, named for the failure message.
    const sticking = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      return [...document.querySelectorAll("main *")]
        .filter((el) => el.getBoundingClientRect().right > width + 0.5)
        .filter((el) => !el.closest("[class*='overflow-x-auto']"))
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${el.getAttribute("class")?.slice(0, 80)}`);
    });
    expect(sticking).toEqual([]);
    expect(await page.locator('[data-testid="chart-conversations"] svg').first().isVisible()).toBe(
      true,
    );
    expect(problems).toEqual([]);
  });
});
