// onboarding.status: each step ticks from what really happened in the account
// (a widget visitor on a website, a customer's message, an invitation or a
// second member), and nothing done in another account ticks it.
import { randomUUID } from "node:crypto";
import { closeRuntime, type Runtime } from "@netia/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, createTestRuntime, newVisitor, signUpAccount, uniqueEmail } from "../testing";

describe("onboarding.status", () => {
  let rt: Runtime;

  beforeAll(async () => {
    rt = await createTestRuntime();
  });
  afterAll(async () => {
    await closeRuntime(rt);
  });

  /** A widget session from a page on `host`, as the widget reports its browser context. */
  async function identifyFrom(accountId: string, host: string) {
    const session = await client(rt).widget.identify({
      accountToken: accountId,
      visitorId: `visitor-${randomUUID()}`,
      context: { host, pathname: "/", currentUrl: `https://${host}/` },
    });
    return client(rt, { widgetToken: session.sessionToken });
  }

  it("starts with nothing done and ticks each step as it happens", async () => {
    const { admin, account } = await signUpAccount(rt, "Fresh Co");
    const rival = await signUpAccount(rt, "Rival Co");
    expect(await admin.onboarding.status()).toEqual({
      widgetInstalled: false,
      customerMessage: false,
      teammateInvited: false,
    });

    // Everything happens in the rival account first: nothing ticks here.
    const rivalVisitor = await newVisitor(rt, rival.account.id);
    await rivalVisitor.widget.widget.sendMessage({ body: "hi", clientMessageId: randomUUID() });
    await rival.admin.team.invite({ email: uniqueEmail("rival-invite") });
    expect(await admin.onboarding.status()).toEqual({
      widgetInstalled: false,
      customerMessage: false,
      teammateInvited: false,
    });

    // A test from the dashboard's own host (the "try the widget" page) is a
    // customer message, but not an installed widget.
    const tryIt = await identifyFrom(account.id, new URL(rt.config.appUrl).host);
    await tryIt.widget.sendMessage({ body: "testing", clientMessageId: randomUUID() });
    expect(await admin.onboarding.status()).toEqual({
      widgetInstalled: false,
      customerMessage: true,
      teammateInvited: false,
    });

    // The widget starts a session on the account's website: installed.
    await identifyFrom(account.id, "shop.example.com");
    expect(await admin.onboarding.status()).toMatchObject({ widgetInstalled: true });

    await admin.team.invite({ email: uniqueEmail("teammate") });
    expect(await admin.onboarding.status()).toEqual({
      widgetInstalled: true,
      customerMessage: true,
      teammateInvited: true,
    });
  });
});
