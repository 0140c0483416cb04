// Settings in Chromium, as an admin: the account (name, time zone, working
// hours, away message) survives a reload; inboxes, tags and saved replies are
// created, renamed and deleted; the admin changes their own name and password
// and logs in again with the new one.
import { signUpAccount } from "@netia/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BrowserContext,
  type Page,
  startWebHarness,
  UI_TIMEOUT,
  type WebHarness,
} from "./harness";

describe("settings pages in Chromium", () => {
  let harness: WebHarness;
  let context: BrowserContext;
  let page: Page;
  let account: Awaited<ReturnType<typeof signUpAccount>>;
  const problems: string[] = [];

  beforeAll(async () => {
    harness = await startWebHarness("settings");
    account = await signUpAccount(harness.runtime, "Settings Co");
    context = await harness.newContext();
    page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    await logIn(account.email, account.password);
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await harness?.close();
  }, 60_000);

  const url = (path: string) => `${harness.server.url}${path}`;

  async function logIn(email: string, password: string) {
    await page.goto(url("/login"), { timeout: 120_000 });
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByTestId("login-submit").click();
    await page.waitForURL(/\/inbox$/);
  }

  it("saves the account's name, time zone, working hours and away message", async () => {
    await page.goto(url("/settings"));
    await page.waitForURL(/\/settings\/widget$/);
    await page
      .getByRole("navigation", { name: "Settings" })
      .getByRole("link", { name: "Account" })
      .click();
    await page.waitForURL(/\/settings\/account$/);
    const form = page.getByTestId("account-form");
    await form.getByLabel("Company name").fill("Renamed Co");
    await form.getByLabel("Time zone").selectOption("Europe/Paris");
    const monday = form.getByTestId("hours-monday");
    await monday.getByLabel("Monday", { exact: true }).check();
    await monday.getByLabel("Monday opens at").fill("08:30");
    await monday.getByLabel("Monday closes at").fill("17:00");
    await form.getByTestId("hours-saturday").getByLabel("Saturday", { exact: true }).check();
    await form.getByLabel("Away message").fill("Back on **Monday** at 8:30.");

    // An end before the start is refused before anything is sent.
    await form.getByTestId("hours-saturday").getByLabel("Saturday closes at").fill("08:00");
    await page.getByTestId("account-save").click();
    await form.getByText("The end must be after the start.").waitFor();
    await form.getByTestId("hours-saturday").getByLabel("Saturday", { exact: true }).uncheck();

    await page.getByTestId("account-save").click();
    await page.getByTestId("save-status").getByText("Saved").waitFor();
    // The header follows.
    await expect
      .poll(() => page.getByTestId("account-name").textContent(), { timeout: UI_TIMEOUT })
      .toBe("Renamed Co");

    const stored = await account.admin.account.get();
    expect(stored).toMatchObject({
      companyName: "Renamed Co",
      timeZone: "Europe/Paris",
      workingHours: [{ day: 1, startMinute: 8 * 60 + 30, endMinute: 17 * 60 }],
      awayMessage: "Back on **Monday** at 8:30.",
    });

    await page.reload();
    await expect
      .poll(() => form.getByLabel("Company name").inputValue(), { timeout: UI_TIMEOUT })
      .toBe("Renamed Co");
    expect(await form.getByLabel("Time zone").inputValue()).toBe("Europe/Paris");
    expect(await monday.getByLabel("Monday", { exact: true }).isChecked()).toBe(true);
    expect(await monday.getByLabel("Monday opens at").inputValue()).toBe("08:30");
    expect(
      await form.getByTestId("hours-tuesday").getByLabel("Tuesday", { exact: true }).isChecked(),
    ).toBe(false);
    expect(await form.getByLabel("Away message").inputValue()).toBe("Back on **Monday** at 8:30.");
  });

  it("creates and renames an inbox, which links to its widget", async () => {
    await page.goto(url("/settings/inboxes"));
    const rows = page.getByTestId("inbox-row");
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    await rows.first().getByTestId("default-badge").waitFor();

    await page.getByTestId("new-inbox-form").getByLabel("Name").fill("Sales");
    await page.getByRole("button", { name: "Create inbox" }).click();
    const sales = page.locator('[data-testid="inbox-row"][data-name="Sales"]');
    await sales.waitFor();
    expect(await page.getByTestId("new-inbox-form").getByLabel("Name").inputValue()).toBe("");

    await sales.getByRole("button", { name: "Rename Sales" }).click();
    await sales.getByLabel("New name of Sales").fill("Sales EU");
    await sales.getByRole("button", { name: "Save" }).click();
    const renamed = page.locator('[data-testid="inbox-row"][data-name="Sales EU"]');
    await renamed.waitFor();

    const inboxes = await account.admin.inboxes.list();
    const created = inboxes.find((i) => i.name === "Sales EU");
    expect(created).toMatchObject({ isDefault: false });
    await renamed.getByRole("link", { name: /Chat widget/ }).click();
    await page.waitForURL(new RegExp(`/settings/widget\\?inbox=${created?.id}$`));
    await expect
      .poll(() => page.getByTestId("inbox-picker").inputValue(), { timeout: UI_TIMEOUT })
      .toBe(created?.id);
  });

  it("creates, renames and deletes a tag", async () => {
    await page.goto(url("/settings/tags"));
    await page.getByTestId("tags-empty").waitFor();
    const form = page.getByTestId("new-tag-form");
    await form.getByLabel("Name").fill("vip");
    await form.getByLabel("Colour").fill("#aa3300");
    await page.getByRole("button", { name: "Create tag" }).click();
    const vip = page.locator('[data-testid="tag-row"][data-name="vip"]');
    await vip.waitFor();
    expect(await account.admin.tags.list()).toMatchObject([{ name: "vip", color: "#aa3300" }]);

    await vip.getByRole("button", { name: "Rename vip" }).click();
    await vip.getByLabel("New name of vip").fill("VIP customers");
    await vip.getByRole("button", { name: "Save" }).click();
    const renamed = page.locator('[data-testid="tag-row"][data-name="VIP customers"]');
    await renamed.waitFor();

    await renamed.getByTestId("tag-delete").click();
    await renamed.getByTestId("tag-delete-confirm").click();
    await page.getByTestId("tags-empty").waitFor();
    expect(await account.admin.tags.list()).toEqual([]);
  });

  it("creates, edits and deletes a saved reply", async () => {
    await page.goto(url("/settings/saved-replies"));
    await page.getByTestId("saved-replies-empty").waitFor();
    const form = page.getByTestId("new-saved-reply-form");
    await form.getByLabel("Shortcut").fill("thanks");
    await form.getByLabel("Reply").fill("Thanks for writing!");
    await form.getByRole("button", { name: "Create saved reply" }).click();
    const row = page.locator('[data-testid="saved-reply-row"][data-shortcut="thanks"]');
    await row.waitFor();

    await row.getByRole("button", { name: "Edit /thanks" }).click();
    const edit = row.getByTestId("edit-saved-reply-form");
    await edit.getByLabel("Reply").fill("Thanks, we'll be in touch.");
    await edit.getByRole("button", { name: "Save" }).click();
    await edit.waitFor({ state: "detached" });
    await row.getByText("Thanks, we'll be in touch.").waitFor();
    await expect
      .poll(() => account.admin.savedReplies.list(), { timeout: UI_TIMEOUT })
      .toMatchObject([{ shortcut: "thanks", body: "Thanks, we'll be in touch." }]);

    await row.getByTestId("saved-reply-delete").click();
    await row.getByTestId("saved-reply-delete-confirm").click();
    await page.getByTestId("saved-replies-empty").waitFor();
    expect(await account.admin.savedReplies.list()).toEqual([]);
  });

  it("changes the user's own name and password, then logs in with the new password", async () => {
    await page.goto(url("/settings/profile"));
    const profile = page.getByTestId("profile-form");
    await expect
      .poll(() => profile.getByLabel("Name").inputValue(), { timeout: UI_TIMEOUT })
      .toBe("Admin");
    await profile.getByLabel("Name").fill("Ada Admin");
    await page.getByTestId("profile-save").click();
    await profile.getByTestId("save-status").getByText("Saved").waitFor();
    await expect
      .poll(() => page.getByTestId("user-name").textContent(), { timeout: UI_TIMEOUT })
      .toBe("Ada Admin");

    const password = page.getByTestId("password-form");
    await password.getByLabel("Current password").fill("not my password");
    await password.getByLabel("New password", { exact: true }).fill("a brand new secret");
    await password.getByLabel("Repeat the new password").fill("a brand new secret");
    await page.getByTestId("password-save").click();
    await password.getByRole("alert").waitFor();

    await password.getByLabel("Current password").fill(account.password);
    await page.getByTestId("password-save").click();
    // The API client that signed the account up is another session: it was logged out.
    await password.getByText(/Password changed\. 1 other session was logged out\./).waitFor();
    await expect(account.admin.auth.me()).resolves.toBeNull();

    await page.getByTestId("logout").click();
    await page.waitForURL(/\/login/);
    await logIn(account.email, "a brand new secret");
    expect(await page.getByTestId("user-name").textContent()).toBe("Ada Admin");
    expect(problems).toEqual([]);
  });
});
