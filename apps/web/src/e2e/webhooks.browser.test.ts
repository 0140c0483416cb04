// Settings → Webhooks in Chromium: an admin adds an endpoint (a local
// receiver), copies the signing secret shown once, sends a test event that
// arrives signed (checked with the Standard Webhooks library), sees it in the
// delivery log with its status code, and sends it again with the same id.
import { launchChromium } from "@netia/testkit/browser";
import { startWebhookReceiver, type WebhookReceiver } from "@netia/testkit/webhook-receiver";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Browser,
  type BrowserContext,
  signUpInBrowser,
  startWebServer,
  UI_TIMEOUT,
  type WebServer,
} from "./harness";

const SCREENSHOT = "/tmp/netia-webhooks.png";

describe("the webhooks page in Chromium", () => {
  let receiver: WebhookReceiver;
  let web: WebServer;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    // The receiver is on 127.0.0.1: allowed by the operator's setting.
    web = await startWebServer("webhooks", { env: { WEBHOOKS_ALLOW_PRIVATE_NETWORKS: "true" } });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(UI_TIMEOUT);
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await web?.close();
    await receiver?.close();
  }, 60_000);

  it("adds an endpoint, delivers a signed test event, logs it and sends it again", async () => {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    const base = web.server.url;
    await signUpInBrowser(page, base, { label: "Hooks" });

    await page.goto(`${base}/settings/webhooks`);
    await page.getByTestId("webhooks-empty").waitFor();
    await page.getByLabel("URL").fill(`${receiver.url}/netia`);
    await page.getByLabel("Description").fill("CRM sync");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const secret = (await page.getByTestId("webhook-secret-value").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    const endpoint = page.getByTestId("webhook-endpoint");
    await expect.poll(() => endpoint.count()).toBe(1);
    expect(await endpoint.getAttribute("data-enabled")).toBe("true");
    await page.getByTestId("webhook-deliveries-empty").waitFor();

    await page.getByTestId("webhook-send-test").click();
    const [request] = await receiver.waitFor(1);
    if (!request) throw new Error("nothing received");
    const payload = new Webhook(secret).verify(
      request.body,
      request.headers as Record<string, string>,
    );
    expect(payload).toMatchObject({ type: "webhook.test" });

    const row = page.locator(`[data-testid="webhook-delivery"][data-status="delivered"]`);
    await row.waitFor({ timeout: 30_000 });
    expect(await row.getByTestId("webhook-delivery-code").textContent()).toBe("200");
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    await row.getByTestId("webhook-redeliver").click();
    const [, again] = await receiver.waitFor(2);
    expect(again?.headers["webhook-id"]).toBe(request.headers["webhook-id"]);
    expect(problems).toEqual([]);
  }, 180_000);
});
