// onboarding.status: each step ticks from what really happened in the account
// (a widget visitor, a customer's message, an invitation or a second member),
// and nothing done in another account ticks it.
import { randomUUID } from "node:crypto";
import { closeRuntime, type Runtime } from "@netia/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRuntime, newVisitor, signUpAccount, uniqueEmail } from "../testing";

describe("onboarding.status", () => {
  let rt: Runtime;

  beforeAll(async () => {
    rt = await createTestRuntime();
  });
  afterAll(async () => {
    await closeRuntime(rt);
  });

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

    // The widget starts a session on a website: installed, but nobody wrote yet.
    const visitor = await newVisitor(rt, account.id);
    expect(await admin.onboarding.status()).toMatchObject({
      widgetInstalled: true,
      customerMessage: false,
    });

    await visitor.widget.widget.sendMessage({ body: "hello", clientMessageId: randomUUID() });
    expect(await admin.onboarding.status()).toMatchObject({ customerMessage: true });

    await admin.team.invite({ email: uniqueEmail("teammate") });
    expect(await admin.onboarding.status()).toEqual({
      widgetInstalled: true,
      customerMessage: true,
      teammateInvited: true,
    });
  });
});
