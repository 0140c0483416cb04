// Slack support channels in Chromium: with the workspace installed (through
// the real OAuth exchange against the fake Slack), an admin connects a shared
// channel to a company from Settings → Slack support channels; a customer's
// message there, sent signed to the real Next route, becomes a conversation
// the inbox shows.
import { randomUUID } from "node:crypto";
import { signUpAccount } from "@netia/api/testing";
import { installSlackForTest } from "@netia/slack/testing";
import { launchChromium } from "@netia/testkit/browser";
import { type FakeSlack, sendEvent, startFakeSlack } from "@netia/testkit/slack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Browser,
  logInInBrowser,
  type Page,
  startWebServer,
  UI_TIMEOUT,
  type WebServer,
} from "./harness";

const SIGNING_SECRET = "browser-test-slack-signing-secret";
const CLIENT = { clientId: "9.9", clientSecret: "browser-client-secret" };

describe("Slack support channels in Chromium", () => {
  let fake: FakeSlack;
  let web: WebServer;
  let browser: Browser;
  let page: Page;
  let owner: Awaited<ReturnType<typeof signUpAccount>>;

  beforeAll(async () => {
    fake = await startFakeSlack(CLIENT);
    web = await startWebServer("slack-support", {
      env: {
        SLACK_CLIENT_ID: CLIENT.clientId,
        SLACK_CLIENT_SECRET: CLIENT.clientSecret,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl.replace(/\/$/, ""),
      },
    });
    browser = await launchChromium();
    owner = await signUpAccount(web.runtime, `Slack Co ${randomUUID().slice(0, 8)}`);
    await installSlackForTest({ db: web.runtime.db, config: web.runtime.config }, fake, {
      accountId: owner.account.id,
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(UI_TIMEOUT);
    page = await context.newPage();
    await logInInBrowser(page, web.server.url, owner.email, owner.password);
  }, 180_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await web?.close();
    await fake?.close();
  });

  it("connects a shared channel to a company, and a customer's message there becomes a conversation", async () => {
    const shared = fake.addChannel({ name: "globex-support", isShared: true, botIsMember: false });
    await owner.admin.companies.create({ name: "Globex" });

    await page.goto(`${web.server.url}/settings/integrations/slack-support`);
    await page.getByTestId("slack-support-empty").waitFor();
    await page.getByLabel("Slack channel").selectOption({ label: "#globex-support" });
    await page.getByLabel("Company").selectOption({ label: "Globex" });
    await page.getByTestId("slack-support-connect").click();
    const row = page.getByTestId("slack-support-channel");
    await row.waitFor();
    expect(await row.textContent()).toContain("#globex-support");
    expect(await row.textContent()).toContain("Globex");
    // The app joined the channel to hear it.
    expect(fake.channels.get(shared.id)?.botIsMember).toBe(true);

    const carla = fake.addUser({
      name: "carla",
      email: "carla@globex.test",
      teamId: "T0GLOBEX",
    });
    const { envelope } = fake.userPosts({
      user: carla.id,
      channel: shared.id,
      text: "Our *exports* stopped working",
    });
    const response = await sendEvent(
      `${web.server.url}/api/slack/events`,
      SIGNING_SECRET,
      envelope,
    );
    expect(response.status).toBe(200);

    await page.goto(`${web.server.url}/inbox`);
    await page
      .getByText("Our **exports** stopped working")
      .or(page.getByText("Our exports stopped working"))
      .first()
      .waitFor();
  });
});
