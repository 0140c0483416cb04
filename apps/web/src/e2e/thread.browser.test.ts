// The thread in Chromium: a 5,000-message conversation opens at its newest
// message with only a few rows in the page, loads older pages as the agent
// scrolls up without moving what is on screen, jumps to an old message from
// ?message=; bodies render as safe markdown and images as thumbnails; j/k
// move through the list.
import { randomUUID } from "node:crypto";
import { newVisitor, signUpAccount } from "@netia/api/testing";
import { storeAttachment } from "@netia/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BrowserContext,
  logInInBrowser,
  type Page,
  startWebHarness,
  UI_TIMEOUT,
  type WebHarness,
} from "./harness";

const SEEDED_MESSAGES = 5_000;
/** A 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

describe("the thread in Chromium", () => {
  let harness: WebHarness;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  let conversationId: string;
  let otherConversations: string[];

  /** The id of the seeded message whose body is `Message <n>`. */
  async function seededMessageId(n: number): Promise<string> {
    const { rows } = (await harness.runtime.db.execute(
      `select id from messages where conversation_id = '${conversationId}' and body = 'Message ${n}'`,
    )) as unknown as { rows: { id: string }[] };
    const id = rows[0]?.id;
    if (!id) throw new Error(`no seeded message ${n}`);
    return id;
  }

  const messageWithBody = (body: string) =>
    page.getByTestId("message").filter({
      has: page.getByTestId("message-body").getByText(body, { exact: true }),
    });

  beforeAll(async () => {
    harness = await startWebHarness("thread");
    const { admin, account, user, email, password } = await signUpAccount(
      harness.runtime,
      `Thread Co ${randomUUID().slice(0, 8)}`,
    );
    // Three conversations; the one started last (the top of the list) gets the long thread.
    otherConversations = [];
    for (const name of ["Ada", "Brian"]) {
      const visitor = await newVisitor(harness.runtime, account.id);
      const sent = await visitor.widget.widget.sendMessage({
        body: `Hello from ${name}`,
        clientMessageId: randomUUID(),
      });
      otherConversations.push(sent.conversationId);
    }
    const visitor = await newVisitor(harness.runtime, account.id);
    ({ conversationId } = await visitor.widget.widget.sendMessage({
      body: "The first message",
      clientMessageId: randomUUID(),
    }));

    // 5,000 messages in one statement, customer and agent alternating, in time order.
    await harness.runtime.db.execute(
      `insert into messages (account_id, conversation_id, type, sender_type, user_id, customer_id, body, created_at)
       select c.account_id, c.id, 'reply',
              case when g % 2 = 0 then 'customer' else 'user' end::sender_type,
              case when g % 2 = 1 then '${user.id}' end,
              case when g % 2 = 0 then c.customer_id end,
              'Message ' || g, now() - interval '1 day' + g * interval '1 second'
       from conversations c cross join generate_series(1, ${SEEDED_MESSAGES}) g
       where c.id = '${conversationId}'
       order by g`,
    );
    // The newest messages go through the real procedures.
    await admin.messages.reply({ conversationId, body: "Some **bold** and _slanted_ words" });
    await admin.messages.reply({ conversationId, body: "<script>window.__owned = 1</script>" });
    await admin.messages.reply({
      conversationId,
      body: "[do not click](javascript:window.__owned=1) or visit https://example.com/help",
    });
    const image = await storeAttachment(harness.runtime.db, {
      accountId: account.id,
      uploader: { userId: user.id },
      filename: "receipt.png",
      contentType: "image/png",
      body: [PNG],
    });
    await admin.messages.reply({
      conversationId,
      body: "Here is the receipt",
      attachmentIds: [image.id],
    });

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

  it("opens a 5,000-message thread at its newest message with few rows in the page", async () => {
    await page.goto(`${harness.server.url}/inbox/${conversationId}`);
    const newest = messageWithBody("Here is the receipt");
    await newest.waitFor();
    await expect.poll(() => newest.isVisible(), { timeout: UI_TIMEOUT }).toBe(true);
    // At the bottom of the scroller (within a few pixels).
    await expect
      .poll(() =>
        page
          .getByTestId("message-list")
          .evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight),
      )
      .toBeLessThan(50);
    const rendered = await page.getByTestId("message").count();
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(200);
  });

  it("renders markdown safely and images as thumbnails", async () => {
    await page.goto(`${harness.server.url}/inbox/${conversationId}`);
    const bold = messageWithBody("Some bold and slanted words").getByTestId("message-body");
    await bold.waitFor();
    expect(await bold.locator("strong").textContent()).toBe("bold");
    expect(await bold.locator("em").textContent()).toBe("slanted");

    // Raw HTML is text: the tag shows, nothing runs.
    const script = page.getByTestId("message-body").filter({ hasText: "<script>" });
    expect(await script.textContent()).toBe("<script>window.__owned = 1</script>");
    expect(await page.getByTestId("message-list").locator("script").count()).toBe(0);

    // A javascript: link loses its link; a web address becomes a safe one.
    const links = page.getByTestId("message-body").filter({ hasText: "do not click" });
    const anchors = links.locator("a");
    expect(await anchors.count()).toBe(1);
    expect(await anchors.getAttribute("href")).toBe("https://example.com/help");
    expect(await anchors.getAttribute("rel")).toBe("noopener noreferrer");
    expect(await anchors.getAttribute("target")).toBe("_blank");
    expect(await page.evaluate(() => (window as { __owned?: number }).__owned)).toBeUndefined();

    const thumbnail = page.getByTestId("attachment-image");
    await thumbnail.waitFor();
    const img = thumbnail.locator("img");
    expect(await img.getAttribute("alt")).toBe("receipt.png");
    await expect
      .poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth), {
        timeout: UI_TIMEOUT,
      })
      .toBe(1);
    expect(await thumbnail.getAttribute("href")).toBe(await img.getAttribute("src"));
    expect(await thumbnail.getAttribute("target")).toBe("_blank");
  });

  it("loads older messages when scrolled to the top, without moving what is on screen", async () => {
    await page.goto(`${harness.server.url}/inbox/${conversationId}`);
    await messageWithBody("Here is the receipt").waitFor();
    const list = page.getByTestId("message-list");
    const toTop = () =>
      list.evaluate((el) => {
        el.scrollTop = 0;
      });
    // The newest page holds the 4 messages sent last and seeded messages 4955–5000.
    const firstOfNewest = messageWithBody("Message 4955");
    expect(await messageWithBody("Message 4954").count()).toBe(0);
    await toTop();
    await firstOfNewest.waitFor({ timeout: 10_000 });
    const topBefore = await firstOfNewest.evaluate((el) => el.getBoundingClientRect().top);
    // The page before arrives above it (its last message right above, in the overscan)…
    await messageWithBody("Message 4954").waitFor({ state: "attached", timeout: 10_000 });
    // …and the message that was first stays where it was.
    await expect
      .poll(() => firstOfNewest.evaluate((el) => el.getBoundingClientRect().top))
      .toBeCloseTo(topBefore, -1);
    expect(await list.evaluate((el) => el.scrollTop)).toBeGreaterThan(1000);

    // Scrolling up again reaches further back.
    await toTop();
    await messageWithBody("Message 4904").waitFor({ state: "attached", timeout: 10_000 });
    expect(await page.getByTestId("message").count()).toBeLessThan(200);
  });

  it("opens at an old message from ?message= and highlights it", async () => {
    const target = await seededMessageId(4700);
    await page.goto(`${harness.server.url}/inbox/${conversationId}?message=${target}`);
    const message = page.locator(`[data-message-id="${target}"]`);
    await message.waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => message.isVisible(), { timeout: UI_TIMEOUT }).toBe(true);
    await expect
      .poll(() => message.getAttribute("data-highlighted"), { timeout: UI_TIMEOUT })
      .toBe("true");
    // In the scroller's viewport, not just in the DOM.
    const inView = await message.evaluate((el) => {
      const list = el.closest('[data-testid="message-list"]');
      if (!list) return false;
      const box = el.getBoundingClientRect();
      const view = list.getBoundingClientRect();
      return box.top >= view.top && box.bottom <= view.bottom;
    });
    expect(inView).toBe(true);
    expect(await page.getByTestId("message").count()).toBeLessThan(200);
  });

  it("j and k move through the list, keeping the view", async () => {
    await page.goto(`${harness.server.url}/inbox?channel=chat`);
    const rows = page.getByTestId("conversation-row");
    await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(3);
    const ids = await rows.evaluateAll((els) =>
      els.map((el) => el.getAttribute("data-conversation-id")),
    );
    expect(ids).toEqual([conversationId, ...[...otherConversations].reverse()]);

    await page.keyboard.press("j");
    await page.waitForURL(`${harness.server.url}/inbox/${ids[0]}?channel=chat`);
    await page.keyboard.press("j");
    await page.waitForURL(`${harness.server.url}/inbox/${ids[1]}?channel=chat`);
    await page.keyboard.press("j");
    await page.waitForURL(`${harness.server.url}/inbox/${ids[2]}?channel=chat`);
    // The end of the list: nothing further.
    await page.keyboard.press("j");
    await page.getByTestId("conversation-title").waitFor();
    expect(page.url()).toBe(`${harness.server.url}/inbox/${ids[2]}?channel=chat`);
    await page.keyboard.press("k");
    await page.waitForURL(`${harness.server.url}/inbox/${ids[1]}?channel=chat`);
    expect(await rows.nth(1).getAttribute("aria-current")).toBe("page");

    // Arrows work while the list has focus, and focus follows the selection.
    await rows.nth(1).focus();
    await page.keyboard.press("ArrowUp");
    await page.waitForURL(`${harness.server.url}/inbox/${ids[0]}?channel=chat`);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-conversation-id")))
      .toBe(ids[0]);

    // Typing in the composer is typing, not navigating.
    const composer = page.getByTestId("composer-input");
    await composer.focus();
    await page.keyboard.press("j");
    expect(page.url()).toBe(`${harness.server.url}/inbox/${ids[0]}?channel=chat`);

    // The help lists the shortcuts in groups.
    await page.getByTestId("message-list").focus();
    await page.keyboard.press("?");
    const help = page.getByTestId("shortcuts-help");
    await help.waitFor({ state: "visible" });
    for (const group of ["Conversation", "Navigation", "Composer", "Search"]) {
      await help.getByRole("heading", { name: group }).waitFor();
    }
    await page.keyboard.press("Escape");
    expect(problems).toEqual([]);
  });
});
