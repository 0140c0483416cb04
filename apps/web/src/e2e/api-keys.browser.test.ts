// Settings → API keys in Chromium: an admin creates a key (label, scopes,
// expiry), sees the secret once with a copy button, the key calls the API over
// HTTP and the list shows its prefix and last use; revoked, it is refused.
import { signUpAccount } from "@netia/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BrowserContext,
  type Page,
  startWebHarness,
  UI_TIMEOUT,
  type WebHarness,
} from "./harness";

describe("API keys in Chromium", () => {
  let harness: WebHarness;
  let context: BrowserContext;
  let page: Page;
  let account: Awaited<ReturnType<typeof signUpAccount>>;
  const problems: string[] = [];

  beforeAll(async () => {
    harness = await startWebHarness("api-keys");
    account = await signUpAccount(harness.runtime, "Keys Co");
    context = await harness.newContext();
    page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    await page.goto(url("/login"), { timeout: 120_000 });
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password", { exact: true }).fill(account.password);
    await page.getByTestId("login-submit").click();
    await page.waitForURL(/\/inbox$/);
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await harness?.close();
  }, 60_000);

  const url = (path: string) => `${harness.server.url}${path}`;

  /** tags.list over HTTP with the key, as a service would call it. */
  const callWith = (secret: string) =>
    fetch(url("/api/trpc/tags.list"), { headers: { authorization: `Bearer ${secret}` } });

  it("creates a key shown once, lists it with its last use, and revokes it", async () => {
    await page.goto(url("/settings/profile"));
    await page
      .getByRole("navigation", { name: "Settings" })
      .getByRole("link", { name: "API keys" })
      .click();
    await page.waitForURL(/\/settings\/api-keys$/);
    await page.getByTestId("api-keys-empty").waitFor();

    const form = page.getByTestId("new-api-key-form");
    await form.getByLabel("Label").fill("CRM sync");
    await form.getByRole("checkbox", { name: /Write/ }).check();
    await form.getByLabel("Expires").selectOption("30");
    await form.getByRole("button", { name: "Create key" }).click();

    const shown = page.getByTestId("api-key-secret");
    await shown.waitFor();
    const secret = (await shown.locator("code").textContent()) ?? "";
    expect(secret).toMatch(/^netia_live_[0-9a-f]{8}_/);
    await page.getByTestId("api-key-copy").click();

    const row = page.getByTestId("api-key-row").filter({ hasText: "CRM sync" });
    await expect
      .poll(() => row.getByTestId("api-key-prefix").textContent(), { timeout: UI_TIMEOUT })
      .toBe(`${secret.slice(0, 19)}…`);
    expect(await row.getByTestId("api-key-last-used").textContent()).toBe("never used");
    // The page keeps no copy of the secret: after a reload it is gone for good.
    await page.reload();
    await row.waitFor();
    expect(await page.getByTestId("api-key-secret").count()).toBe(0);
    expect(await page.content()).not.toContain(secret.slice(20));

    const [stored] = await account.admin.apiKeys.list();
    expect(stored).toMatchObject({ label: "CRM sync", scopes: ["read", "write"] });
    expect(stored?.expiresAt).not.toBeNull();

    expect((await callWith(secret)).status).toBe(200);
    await page.reload();
    await expect
      .poll(() => row.getByTestId("api-key-last-used").textContent(), { timeout: UI_TIMEOUT })
      .toMatch(/^last used /);

    await row.getByTestId("api-key-revoke").click();
    await row.getByTestId("api-key-revoke-confirm").click();
    await row.getByText("Revoked").waitFor();
    expect((await callWith(secret)).status).toBe(401);
    expect(problems).toEqual([]);
  });
});
