// The team in Chromium: an admin invites an agent from Settings → Team, the
// agent joins at /invite/<token> and logs in; agents see the team read-only and
// the server refuses them the admin procedures; a forgotten password is reset
// through /forgot-password and /reset-password/<token>.
import { signUpAccount, tokenOfLink } from "@netia/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BrowserContext,
  type Page,
  startWebHarness,
  UI_TIMEOUT,
  type WebHarness,
} from "./harness";

const SCREENSHOT = "/tmp/netia-team.png";

describe("team, invitations and password reset in Chromium", () => {
  let harness: WebHarness;
  /** The password-reset links the server sent, by email (there is no mailer in tests). */
  const resetLinks = new Map<string, string>();
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    harness = await startWebHarness("team", {
      hooks: {
        async sendPasswordReset(email, url) {
          resetLinks.set(email, url);
        },
      },
    });
  }, 180_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await harness?.close();
  }, 60_000);

  /** A page in a browser of its own; uncaught errors, CSP violations and console errors are kept. */
  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await harness.newContext();
    contexts.push(context);
    const page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      // A refused request (the 404 of a used invitation) is logged by Chromium itself.
      if (message.type() === "error" && !/Failed to load resource/.test(message.text())) {
        problems.push(`console: ${message.text()}`);
      }
    });
    return { context, page };
  }

  /** The app's path of a link the server made (its host is the configured app URL). */
  const local = (url: string) => `${harness.server.url}${new URL(url).pathname}`;

  /** A tRPC call with the context's cookies, as a page's script could make it. */
  async function call(context: BrowserContext, path: string, input?: unknown) {
    const url = `${harness.server.url}/api/trpc/${path}`;
    const res =
      input === undefined
        ? await context.request.get(url)
        : await context.request.post(url, { data: input, headers: { origin: harness.server.url } });
    const body = (await res.json()) as { error?: { data?: { code?: string } } };
    return { status: res.status(), code: body.error?.data?.code };
  }

  async function logIn(page: Page, email: string, password: string, landing = /\/inbox$/) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByTestId("login-submit").click();
    await page.waitForURL(landing);
  }

  it("invites an agent who joins at /invite/<token>, logs in, and sees the team read-only", async () => {
    const suffix = crypto.randomUUID().slice(0, 8);
    const company = `Acme ${suffix}`;
    const adminEmail = `admin-${suffix}@example.com`;
    const agentEmail = `agent-${suffix}@example.com`;
    const laterEmail = `later-${suffix}@example.com`;

    // 1. An admin signs up and opens Settings → Team.
    const { page: admin } = await newPage();
    await admin.goto(`${harness.server.url}/signup`);
    await admin.getByLabel("Your name").fill("Ada Admin");
    await admin.getByLabel("Work email").fill(adminEmail);
    await admin.getByLabel("Password").fill("correct horse battery");
    await admin.getByLabel("Company name").fill(company);
    await admin.getByTestId("signup-submit").click();
    await admin.waitForURL(/\/inbox$/);
    await admin.getByTestId("nav-settings").click();
    await admin
      .getByRole("navigation", { name: "Settings" })
      .getByRole("link", { name: "Team" })
      .click();
    await admin.waitForURL(/\/settings\/team$/);
    const adminRow = admin.locator(`[data-testid="member-row"][data-email="${adminEmail}"]`);
    expect(await adminRow.getByTestId("member-status").textContent()).toBe("Active");
    await admin.getByTestId("invitations-empty").waitFor();

    // 2. Invites an agent: the link to pass on is shown, and the invitation is pending.
    await admin.getByTestId("invite-form").getByLabel("Email").fill(agentEmail);
    await admin.getByTestId("invite-form").getByLabel("Role").selectOption("agent");
    await admin.getByTestId("invite-submit").click();
    const linkField = admin.getByTestId("invitation-link-url");
    await linkField.waitFor();
    const agentLink = await linkField.inputValue();
    expect(new URL(agentLink).pathname).toMatch(/^\/invite\/[A-Za-z0-9_-]{20,}$/);
    await admin.locator(`[data-testid="invitation-row"][data-email="${agentEmail}"]`).waitFor();

    // 3. A second invitation gets a new link (the old one stops working), then is revoked.
    await admin.getByTestId("invite-form").getByLabel("Email").fill(laterEmail);
    await admin.getByTestId("invite-submit").click();
    await expect.poll(() => linkField.inputValue(), { timeout: UI_TIMEOUT }).not.toBe(agentLink);
    const laterLink = await linkField.inputValue();
    const laterRow = admin.locator(`[data-testid="invitation-row"][data-email="${laterEmail}"]`);
    await laterRow.getByTestId("invitation-resend").click();
    await expect.poll(() => linkField.inputValue(), { timeout: UI_TIMEOUT }).not.toBe(laterLink);
    const renewedLink = await linkField.inputValue();
    await laterRow.getByTestId("invitation-revoke").click();
    await laterRow.waitFor({ state: "detached" });

    const { context: guestContext, page: guest } = await newPage();
    for (const retired of [laterLink, renewedLink]) {
      await guest.goto(local(retired));
      await guest.getByTestId("invitation-unusable").waitFor();
      expect(await guest.getByTestId("invitation-error").textContent()).toMatch(/no longer valid/);
    }
    await guestContext.close();

    // 4. The agent opens their link: the team is named; they choose a name and password.
    const { context: agentContext, page: agent } = await newPage();
    await agent.goto(local(agentLink));
    expect(await agent.getByTestId("invitation-company").textContent()).toBe(company);
    expect(await agent.getByTestId("invitation-email").inputValue()).toBe(agentEmail);
    await agent.getByLabel("Your name").fill("Bo Agent");
    await agent.getByLabel("Password").fill("agent password 1");
    await agent.getByTestId("invitation-submit").click();
    await agent.waitForURL(/\/inbox$/);
    expect(await agent.getByTestId("user-name").textContent()).toBe("Bo Agent");
    expect(await agent.getByTestId("account-name").textContent()).toBe(company);

    // The link was used up.
    await admin.reload();
    const agentRow = admin.locator(`[data-testid="member-row"][data-email="${agentEmail}"]`);
    expect(await agentRow.getByTestId("member-status").textContent()).toBe("Active");
    await admin.getByTestId("invitations-empty").waitFor();

    // 5. They log out and back in with the password they chose.
    await agent.getByTestId("logout").click();
    await agent.waitForURL(/\/login/);
    await logIn(agent, agentEmail, "agent password 1");

    // 6. The team page is read-only for an agent...
    await agent.goto(`${harness.server.url}/settings/team`);
    await agent.getByTestId("read-only-notice").waitFor();
    await agent.locator(`[data-testid="member-row"][data-email="${adminEmail}"]`).waitFor();
    expect(await agent.getByTestId("member-row").count()).toBe(2);
    expect(await agent.getByTestId("member-role-label").allTextContents()).toEqual([
      "Admin",
      "Agent",
    ]);
    for (const control of [
      "invite-form",
      "invitations",
      "invitations-empty",
      "member-role",
      "member-toggle-disabled",
    ]) {
      expect(await agent.getByTestId(control).count(), control).toBe(0);
    }

    // ...and the server refuses the admin procedures to them.
    expect(await call(agentContext, "team.invite", { email: `x-${suffix}@example.com` })).toEqual({
      status: 403,
      code: "FORBIDDEN",
    });
    expect(await call(agentContext, "team.listInvitations")).toEqual({
      status: 403,
      code: "FORBIDDEN",
    });
    const adminUserId = await admin.evaluate(async () => {
      const res = await fetch("/api/trpc/auth.me");
      return ((await res.json()) as { result: { data: { user: { id: string } } } }).result.data.user
        .id;
    });
    expect(
      await call(agentContext, "team.setDisabled", { userId: adminUserId, disabled: true }),
    ).toEqual({ status: 403, code: "FORBIDDEN" });

    // 7. The admin disables the agent (their session ends), enables them, and promotes them.
    await admin.screenshot({ path: SCREENSHOT, fullPage: true });
    await agentRow.getByTestId("member-toggle-disabled").click();
    await expect
      .poll(() => agentRow.getByTestId("member-status").textContent(), { timeout: UI_TIMEOUT })
      .toBe("Disabled");
    await agent.reload();
    await agent.waitForURL(/\/login/);
    await agentRow.getByTestId("member-toggle-disabled").click();
    await expect
      .poll(() => agentRow.getByTestId("member-status").textContent(), { timeout: UI_TIMEOUT })
      .toBe("Active");
    await agentRow.getByTestId("member-role").selectOption("admin");
    await expect
      .poll(() => agentRow.getByTestId("member-role").inputValue(), { timeout: UI_TIMEOUT })
      .toBe("admin");
    // Now with the admin controls.
    await logIn(agent, agentEmail, "agent password 1", /\/(inbox|settings\/team)$/);
    await agent.goto(`${harness.server.url}/settings/team`);
    await agent.getByTestId("invite-form").waitFor();

    expect(problems).toEqual([]);
  }, 240_000);

  it("refuses an invitation to an email that has a login, and says why a link cannot be used", async () => {
    const { admin } = await signUpAccount(harness.runtime, "Inviting team");
    const elsewhere = await signUpAccount(harness.runtime, "Other team");
    const { url, invitation } = await admin.team.invite({ email: elsewhere.email, role: "agent" });
    const { page } = await newPage();

    // A login belongs to one team: the invitee reads that, not a generic failure.
    await page.goto(local(url));
    await page.getByLabel("Your name").fill("Taken");
    await page.getByLabel("Password").fill("another password");
    await page.getByTestId("invitation-submit").click();
    expect(await page.getByTestId("form-error").textContent()).toMatch(
      /already has a Netia login.*one team/,
    );
    expect(page.url()).toMatch(/\/invite\//);

    // Expired.
    await harness.runtime.db.execute(
      `update invitations set expires_at = now() - interval '1 second' where id = '${invitation.id}'`,
    );
    await page.goto(local(url));
    expect(await page.getByTestId("invitation-error").textContent()).toMatch(/expired/);

    // Never existed.
    await page.goto(`${harness.server.url}/invite/${"x".repeat(tokenOfLink(url).length)}`);
    expect(await page.getByTestId("invitation-error").textContent()).toMatch(/no longer valid/);
    expect(problems).toEqual([]);
  }, 120_000);

  it("resets a forgotten password from the login page through /reset-password/<token>", async () => {
    const { email, password } = await signUpAccount(harness.runtime, "Forgetful team");
    const { page } = await newPage();

    // 1. Log in → "Forgot password?" → the answer does not say whether the email exists.
    await page.goto(`${harness.server.url}/login`);
    await page.getByTestId("forgot-password-link").click();
    await page.waitForURL(/\/forgot-password$/);
    const answerFor = async (address: string) => {
      await page.goto(`${harness.server.url}/forgot-password`);
      await page.getByLabel("Email").fill(address);
      await page.getByTestId("forgot-password-submit").click();
      const text = (await page.getByTestId("reset-requested").textContent()) ?? "";
      return text.replace(address, "<email>");
    };
    const unknown = `nobody-${crypto.randomUUID()}@example.com`;
    expect(await answerFor(unknown)).toBe(await answerFor(email));
    expect(resetLinks.has(unknown)).toBe(false);

    // 2. The link opens /reset-password/<token>; a new password sends the user to log in.
    const link = resetLinks.get(email) ?? "";
    expect(new URL(link).pathname).toMatch(/^\/reset-password\/[^/]+$/);
    await page.goto(local(link));
    await page.getByLabel("New password").fill("a brand new password");
    await page.getByTestId("reset-password-submit").click();
    await page.waitForURL(/\/login\?password=changed$/);
    await page.getByTestId("password-changed").waitFor();

    // 3. The old password no longer works; the new one does.
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByTestId("login-submit").click();
    await page.getByTestId("form-error").waitFor();
    await logIn(page, email, "a brand new password");

    // 4. The used link says so clearly.
    await page.goto(local(link));
    await page.getByLabel("New password").fill("yet another password");
    await page.getByTestId("reset-password-submit").click();
    expect(await page.getByTestId("form-error").textContent()).toMatch(
      /invalid or has expired; ask for a new one/,
    );
    expect(problems).toEqual([]);
  }, 120_000);
});
