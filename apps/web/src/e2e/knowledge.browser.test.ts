// Settings → Knowledge base in Chromium: an admin writes an article (with a
// preview of its passages), finds it by title, imports two Markdown files at
// once, unpublishes one and deletes another; what the assistant retrieves
// follows every step.
import { retrieveKnowledge } from "@netia/ai";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  type BrowserContext,
  type Page,
  signUpInBrowser,
  startWebHarness,
  UI_TIMEOUT,
  type WebHarness,
} from "./harness";

let harness: WebHarness;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  harness = await startWebHarness("knowledge");
  context = await harness.newContext();
  page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  // Failed requests of the page are caught here with their URL; Chromium's own
  // (a missing favicon) only log "Failed to load resource", which is left out.
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`http ${response.status()} ${response.url()}`);
  });
  page.on("console", (message) => {
    if (message.type() === "error" && !/Failed to load resource/.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
}, 180_000);

afterAll(async () => {
  await context?.close().catch(() => {});
  await harness?.close();
}, 60_000);

const row = (title: string) => page.locator(`[data-testid="article-row"][data-title="${title}"]`);
const titles = () =>
  page
    .getByTestId("article-row")
    .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-title")));

it("creates, finds, imports, unpublishes and deletes articles", async () => {
  const { accountId } = await signUpInBrowser(page, harness.server.url, {
    label: "Knowledge",
    name: "Kim Admin",
  });
  const retrieve = async (question: string) =>
    (await retrieveKnowledge({ db: harness.runtime.db, ai: null }, { accountId, question })).map(
      (p) => p.title,
    );

  await page.getByTestId("nav-settings").click();
  await page
    .getByRole("navigation", { name: "Settings" })
    .getByRole("link", { name: "Knowledge base" })
    .click();
  await page.waitForURL(/\/settings\/knowledge$/);
  await page.getByTestId("articles-empty").waitFor();

  // 1. A new article, previewed as the passages the assistant will read, then saved.
  await page.getByTestId("article-new").click();
  await page.getByTestId("article-title").fill("Shipping to Iceland");
  await page
    .getByTestId("article-body")
    .fill("Parcels to Reykjavik take five days.\n\n## Customs\n\nDuties are paid on delivery.");
  await page.getByTestId("article-preview-tab").click();
  const preview = page.getByTestId("passage-preview").locator("li");
  await expect.poll(() => preview.count(), { timeout: UI_TIMEOUT }).toBe(2);
  expect(await preview.nth(1).textContent()).toBe(
    "Shipping to Iceland › CustomsDuties are paid on delivery.",
  );
  await page.getByTestId("article-save").click();
  await row("Shipping to Iceland").waitFor();
  expect(await retrieve("How long to Reykjavik?")).toEqual(["Shipping to Iceland"]);

  // 2. Two Markdown files imported at once: titles from front matter and from the heading.
  await page.getByTestId("import-files").setInputFiles([
    {
      name: "returns.md",
      mimeType: "text/markdown",
      buffer: Buffer.from("---\ntitle: Returns policy\n---\nReturn unworn shoes within 60 days."),
    },
    {
      name: "gift-cards.md",
      mimeType: "text/markdown",
      buffer: Buffer.from("# Gift cards\n\nGift cards never expire."),
    },
  ]);
  await expect
    .poll(() => page.getByTestId("import-result").textContent(), { timeout: UI_TIMEOUT })
    .toBe("Imported 2 articles: Returns policy, Gift cards.");
  await row("Gift cards").waitFor();
  expect((await titles()).sort()).toEqual(["Gift cards", "Returns policy", "Shipping to Iceland"]);

  // 3. The title search narrows the list.
  await page.getByTestId("article-search").fill("ICELAND");
  await expect.poll(titles, { timeout: UI_TIMEOUT }).toEqual(["Shipping to Iceland"]);
  await page.getByTestId("article-search").fill("");
  await expect.poll(async () => (await titles()).length, { timeout: UI_TIMEOUT }).toBe(3);

  // 4. Unpublished: kept, but no longer used to answer.
  expect(await retrieve("Do gift cards expire?")).toEqual(["Gift cards"]);
  await row("Gift cards").getByTestId("article-published").click();
  await row("Gift cards").getByText("Unpublished").waitFor();
  expect(await retrieve("Do gift cards expire?")).toEqual([]);

  // 5. Deleted after confirming.
  page.once("dialog", (dialog) => void dialog.accept());
  await row("Returns policy").getByTestId("article-delete").click();
  await expect.poll(titles, { timeout: UI_TIMEOUT }).toEqual(["Gift cards", "Shipping to Iceland"]);
  expect(await retrieve("Can I return shoes?")).toEqual([]);

  expect(problems).toEqual([]);
});
