// Settings → Billing in Chromium, on a server that bills accounts (the fake
// Stripe behind the stripe SDK): a new account sees its trial, its usage
// against each limit and the plans; Upgrade sends the browser to Stripe
// Checkout's URL. Then Stripe's signed events reach the server's own webhook
// route, and a failed payment puts the past-due banner on every page.
import { launchChromium } from "@netia/testkit/browser";
import { type FakeStripe, sendStripeEvent, startFakeStripe } from "@netia/testkit/stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Browser,
  type BrowserContext,
  signUpInBrowser,
  startWebServer,
  UI_TIMEOUT,
  type WebServer,
} from "./harness";

const SCREENSHOT = "/tmp/netia-billing.png";

describe("the billing page in Chromium", () => {
  let stripe: FakeStripe;
  let web: WebServer;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    stripe = await startFakeStripe({
      secretKey: "sk_test_browser",
      prices: [
        { id: "price_team_browser", unitAmount: 2900 },
        { id: "price_business_browser", unitAmount: 9900 },
      ],
    });
    web = await startWebServer("billing", {
      env: {
        PAPERCUPS_STRIPE_SECRET: "sk_test_browser",
        REACT_APP_STRIPE_PUBLIC_KEY: "pk_test_browser",
        STRIPE_WEBHOOK_SECRET: "whsec_browser",
        STRIPE_PRICE_TEAM: "price_team_browser",
        STRIPE_PRICE_BUSINESS: "price_business_browser",
        STRIPE_API_URL: stripe.url,
        BILLING_TRIAL_DAYS: "14",
      },
    });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(UI_TIMEOUT);
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await web?.close();
    await stripe?.close();
  }, 60_000);

  it("shows the trial and usage, and Upgrade goes to Stripe Checkout", async () => {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    const base = web.server.url;
    await signUpInBrowser(page, base, { label: "Payer" });

    await page.goto(`${base}/settings`);
    await page
      .getByRole("navigation", { name: "Settings" })
      .getByRole("link", { name: "Billing" })
      .click();
    await page.waitForURL(`${base}/settings/billing`);
    await expect.poll(() => page.getByTestId("billing-state").textContent()).toBe("Trial");
    expect(await page.getByTestId("billing-plan").textContent()).toBe("Team");
    expect(await page.getByTestId("trial-days-left").textContent()).toMatch(
      /^14 days left in your trial/,
    );
    expect(await page.getByTestId("usage-seats").textContent()).toContain("1 of 10");
    expect(await page.getByTestId("usage-inboxes").textContent()).toContain("1 of 5");
    expect(await page.getByTestId("usage-aiReplies").textContent()).toContain("0 of 2,000");
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    await page.getByTestId("upgrade-business").click();
    await page.waitForURL(`${stripe.url}/checkout/**`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Checkout");
    const [session] = [...stripe.sessions.values()];
    expect(session?.params["line_items[0][price]"]).toBe("price_business_browser");
    expect(session?.successUrl).toMatch(/\/settings\/billing\?checkout=done$/);

    // Stripe's events, signed, to the server's webhook route (raw body verified there).
    const webhook = `${base}/api/webhooks/stripe`;
    const forged = await sendStripeEvent(webhook, "whsec_other", stripe.event("invoice.paid", {}));
    expect(forged.status).toBe(400);
    for (const event of stripe.completeCheckout(session?.id as string)) {
      expect((await sendStripeEvent(webhook, "whsec_browser", event)).status).toBe(200);
    }
    for (const event of stripe.failPayment(session?.subscription as string)) {
      expect((await sendStripeEvent(webhook, "whsec_browser", event)).status).toBe(200);
    }
    await page.goto(`${base}/inbox`);
    await expect
      .poll(() => page.getByTestId("billing-banner").textContent())
      .toMatch(/Your last payment failed/);
    await page.getByTestId("billing-banner").getByRole("link", { name: "Go to billing" }).click();
    await expect
      .poll(() => page.getByTestId("billing-state").textContent())
      .toBe("Payment overdue");
    expect(problems).toEqual([]);
  });
});
