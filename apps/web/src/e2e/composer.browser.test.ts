// The composer in Chromium with two agents: A inserts a saved reply with "/",
// attaches a file, and mentions B with "@" in a note; B's Mentions view counts
// the mention live, lists the conversation, and opening it reads the mention.
import { randomUUID } from "node:crypto";
import { client, newVisitor, signUpAccount, tokenOfLink } from "@netia/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BrowserContext,
  logInInBrowser,
  type Page,
  startWebHarness,
  UI_TIMEOUT,
  type WebHarness,
} from "./harness";

const SCREENSHOT = "/tmp/netia-composer.png";
const SCREENSHOT_PICKER = "/tmp/netia-composer-mention.png";

describe("composer: saved replies, attachments and mentions in Chromium", () => {
  let harness: WebHarness;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    harness = await startWebHarness("composer");
  }, 180_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await harness?.close();
  }, 60_000);

  /** A signed-in agent in a browser of their own; page errors are kept. */
  async function agentPage(email: string, password: string): Promise<Page> {
    const context = await harness.newContext();
    contexts.push(context);
    const page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    await logInInBrowser(page, harness.server.url, email, password);
    return page;
  }

  it("inserts a saved reply, sends a file, and a mention reaches the teammate's Mentions view", async () => {
    const rt = harness.runtime;
    const suffix = randomUUID().slice(0, 8);
    const { admin, account, email, password } = await signUpAccount(rt, `Composer ${suffix}`);
    const mateEmail = `bea-${suffix}@example.com`;
    const { url } = await admin.team.invite({ email: mateEmail, role: "agent" });
    const mateApi = client(rt);
    await mateApi.auth.acceptInvitation({
      token: tokenOfLink(url),
      name: "Bea Mate",
      password: "agent password 1",
    });
    const thanks = `Thanks for writing in! We are on it (${suffix}).`;
    await admin.savedReplies.create({ shortcut: "thanks", body: thanks });
    await admin.savedReplies.create({ shortcut: "refund", body: "Refunds take 5 days." });
    const visitor = await newVisitor(rt, account.id);
    const { conversationId } = await visitor.widget.widget.sendMessage({
      body: "Hello, my order is late",
      clientMessageId: randomUUID(),
    });

    const a = await agentPage(email, password);
    const b = await agentPage(mateEmail, "agent password 1");
    const bMentions = b.getByTestId("view-count-mentions");
    expect(await bMentions.count()).toBe(0);

    // 1. A types "/th": the saved replies open, filtered; Enter picks one.
    await a.goto(`${harness.server.url}/inbox/${conversationId}`);
    const input = a.getByTestId("composer-input");
    await input.click();
    await input.pressSequentially("/th");
    const replies = a.getByRole("listbox", { name: "Saved replies" });
    await replies.waitFor();
    expect(await replies.getByRole("option").allTextContents()).toEqual([`/thanks${thanks}`]);
    expect(await input.getAttribute("aria-activedescendant")).toBe(
      await replies.getByRole("option").first().getAttribute("id"),
    );
    await input.press("Enter");
    expect(await input.inputValue()).toBe(thanks);
    await replies.waitFor({ state: "detached" });

    // 2. A file attached from the composer goes with the reply.
    await a.getByTestId("composer-file-input").setInputFiles({
      name: `order-${suffix}.txt`,
      mimeType: "text/plain",
      buffer: Buffer.from("order 1234, shipped late"),
    });
    const chip = a.getByTestId("composer-attachment");
    await a.locator('[data-testid="composer-attachment"][data-status="done"]').waitFor();
    expect(await chip.textContent()).toContain(`order-${suffix}.txt`);
    await input.press("Control+Enter");
    const sent = a.locator('[data-testid="message"][data-sender="user"]', { hasText: thanks });
    await sent.waitFor();
    expect(await sent.getByTestId("message-attachments").textContent()).toContain(
      `order-${suffix}.txt`,
    );
    // Sent files leave the composer (the thread may show the reply a moment before).
    await chip.waitFor({ state: "detached" });
    // The visitor's thread has the saved reply's body and the file.
    const seen = await visitor.widget.widget.listMessages({ conversationId });
    const reply = seen.items.find((m) => m.senderType === "user");
    expect(reply?.body).toBe(thanks);
    expect(reply?.attachments.map((f) => f.filename)).toEqual([`order-${suffix}.txt`]);

    // 3. A writes a note mentioning B, picked with the arrow keys from "@".
    await a.getByTestId("note-toggle").click();
    await input.pressSequentially("Could you check this @");
    const teammates = a.getByRole("listbox", { name: "Mention a teammate" });
    await teammates.waitFor();
    // Only teammates: A is not offered.
    expect(await teammates.getByRole("option").allTextContents()).toEqual([`Bea Mate${mateEmail}`]);
    await a.screenshot({ path: SCREENSHOT_PICKER });
    await input.pressSequentially("be");
    await input.press("ArrowDown");
    await input.press("Tab");
    expect(await input.inputValue()).toBe("Could you check this @Bea Mate ");
    await input.pressSequentially("please?");
    // Escape closes a picker without leaving the composer.
    await input.pressSequentially(" @");
    await teammates.waitFor();
    await input.press("Escape");
    await teammates.waitFor({ state: "detached" });
    // Leaving the text box closes a picker too; coming back to the word opens it again.
    await input.press("Backspace");
    await input.pressSequentially("@");
    await teammates.waitFor();
    await a.getByTestId("note-toggle").focus();
    await teammates.waitFor({ state: "detached" });
    await input.focus();
    await input.press("Backspace");
    await a.getByTestId("composer-send").click();
    await a
      .locator('[data-testid="message"][data-type="note"]', { hasText: "@Bea Mate please?" })
      .waitFor();

    // 4. B's Mentions count turns 1 without a reload, and the view lists the conversation.
    await expect.poll(() => bMentions.textContent(), { timeout: UI_TIMEOUT }).toBe("1");
    await b.getByTestId("view-mentions").click();
    await b.waitForURL(/view=mentions/);
    const row = b.locator(
      `[data-testid="conversation-row"][data-conversation-id="${conversationId}"]`,
    );
    await row.waitFor();
    await b.screenshot({ path: SCREENSHOT });

    // 5. B opens it: the mention is read, the count goes.
    await row.click();
    await b.getByTestId("composer-input").waitFor();
    await bMentions.waitFor({ state: "detached" });
    expect((await mateApi.conversations.counts()).mentions).toBe(0);
    expect(problems).toEqual([]);
  }, 240_000);
});
