// Slack in Chromium, as an admin: "Add to Slack" on Settings → Slack goes
// through the install route to Slack's consent screen (the fake Slack's, which
// approves at once) and back through the callback; the admin picks a channel
// from the workspace's list; a visitor's widget message then appears in that
// channel as a thread, posted by the job through Slack's own client.
import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { newVisitor } from "@netia/api/testing";
import { launchChromium } from "@netia/testkit/browser";
import { type FakeSlack, startFakeSlack } from "@netia/testkit/slack";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type BrowserContext,
  type Page,
  signUpInBrowser,
  startWebServer,
  UI_TIMEOUT,
  type WebHarness,
} from "./harness";

const CLIENT = { clientId: "1234.5678", clientSecret: "slack-client-secret" };

/** A port nobody listens on now: Slack's redirect URL must name the server's own. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe("Slack in Chromium", () => {
  let fake: FakeSlack;
  let web: Omit<WebHarness, "browser" | "newContext">;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    fake = await startFakeSlack({ ...CLIENT, teamName: "Acme Team" });
    const port = await freePort();
    web = await startWebServer("slack", {
      port,
      env: {
        BACKEND_URL: `http://127.0.0.1:${port}`,
        SLACK_CLIENT_ID: CLIENT.clientId,
        SLACK_CLIENT_SECRET: CLIENT.clientSecret,
        SLACK_SIGNING_SECRET: "8f742231b10e8888abcd99yyyzzz85a5",
        SLACK_API_URL: fake.apiUrl.replace(/\/$/, ""),
      },
    });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(UI_TIMEOUT);
    page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await web?.close();
    await fake?.close();
  }, 60_000);

  it("installs from the settings page, picks a channel, and a widget message becomes a thread", async () => {
    const channel = fake.addChannel({
      name: `customers-${randomUUID().slice(0, 6)}`,
      botIsMember: false,
    });
    const { accountId } = await signUpInBrowser(page, web.server.url, { label: "Slack Co" });

    await page.goto(`${web.server.url}/settings/integrations/slack`);
    await page
      .getByRole("navigation", { name: "Settings" })
      .getByRole("link", { name: "Slack", exact: true })
      .waitFor();
    await page.getByTestId("slack-install").click();
    // Install route → the fake's consent screen → the callback → back here.
    await page.waitForURL(/\/settings\/integrations\/slack\?connected=/);
    await expect
      .poll(() => page.getByTestId("slack-connected").textContent())
      .toBe("Connected to the Acme Team workspace.");
    await page.getByTestId("slack-workspace").getByText("No channel chosen yet").waitFor();

    const picker = page.getByLabel("Channel");
    await picker.locator(`option[value="${channel.id}"]`).waitFor({ state: "attached" });
    await picker.selectOption(channel.id);
    await page.getByTestId("slack-save-channel").click();
    await page.getByText(`Posting in #${channel.name}`).waitFor();
    expect(fake.channels.get(channel.id)?.botIsMember).toBe(true);

    const visitor = await newVisitor(web.runtime, accountId);
    await visitor.widget.widget.sendMessage({
      body: "Where is my parcel?",
      clientMessageId: randomUUID(),
    });
    await vi.waitFor(
      () => {
        const [header] = fake.channelMessages(channel.id);
        expect(header?.text).toMatch(/^New conversation with Visitor/);
        const thread = fake.thread(channel.id, header?.ts as string);
        expect(thread.map((m) => m.text.split("\n").at(-1))).toEqual([
          header?.text,
          "Where is my parcel?",
        ]);
      },
      { timeout: UI_TIMEOUT, interval: 200 },
    );
    await page.reload();
    await page.getByTestId("slack-no-failures").waitFor();
    expect(problems).toEqual([]);
  });
});
