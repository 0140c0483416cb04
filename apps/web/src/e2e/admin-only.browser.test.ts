// What an agent (not an admin) sees of Settings in Chromium: only the pages
// they may use in the menu, an "only admins" page instead of a form at the
// admin pages' URLs, and the server refusing the admin procedures to their
// session whatever the page shows.
import { client, signUpAccount, tokenOfLink, uniqueEmail } from "@netia/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserContext, type Page, startWebHarness, type WebHarness } from "./harness";

const AGENT_PAGES = ["Profile", "Notifications", "Tags", "Saved replies", "API keys", "REST API"];
const ADMIN_PAGES = ["Account", "Inboxes", "Chat widget", "Team", "AI assistant", "Knowledge base"];

describe("admin-only settings for an agent in Chromium", () => {
  let harness: WebHarness;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    harness = await startWebHarness("admin-only");
    const { admin } = await signUpAccount(harness.runtime, "Admins Only Co");
    const email = uniqueEmail("agent");
    const { url } = await admin.team.invite({ email, role: "agent" });
    await client(harness.runtime).auth.acceptInvitation({
      token: tokenOfLink(url),
      name: "Bo Agent",
      password: "agent password 1",
    });

    context = await harness.newContext();
    page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    await page.goto(`${harness.server.url}/login`, { timeout: 120_000 });
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill("agent password 1");
    await page.getByTestId("login-submit").click();
    await page.waitForURL(/\/inbox$/);
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await harness?.close();
  }, 60_000);

  const url = (path: string) => `${harness.server.url}${path}`;

  it("opens Settings at the profile and lists only the agent's pages", async () => {
    await page.goto(url("/settings"));
    await page.waitForURL(/\/settings\/profile$/);
    const nav = page.getByRole("navigation", { name: "Settings" });
    await nav.getByRole("link", { name: "Profile" }).waitFor();
    const links = await nav.getByRole("link").allTextContents();
    expect(links.map((l) => l.trim())).toEqual(AGENT_PAGES);
    for (const name of ADMIN_PAGES) {
      expect(await nav.getByRole("link", { name, exact: true }).count()).toBe(0);
    }
  });

  for (const [path, page_] of [
    ["/settings/account", "the account"],
    ["/settings/widget", "the chat widget"],
    ["/settings/inboxes", "inboxes"],
  ] as const) {
    it(`shows "only admins" at ${path}, without a form`, async () => {
      await page.goto(url(path));
      const notice = page.getByTestId("admin-only");
      await notice.waitFor();
      expect(await notice.getByRole("heading").textContent()).toBe(
        `Only admins can change ${page_}`,
      );
      expect(await page.locator("main form").count()).toBe(0);
      await notice.getByRole("link", { name: "Go to your profile" }).click();
      await page.waitForURL(/\/settings\/profile$/);
    });
  }

  it("is refused account.update and inboxes.create by the server (FORBIDDEN)", async () => {
    const call = async (path: string, input: unknown) => {
      const res = await context.request.post(url(`/api/trpc/${path}`), {
        data: input,
        headers: { origin: harness.server.url },
      });
      const body = (await res.json()) as { error?: { data?: { code?: string } } };
      return { status: res.status(), code: body.error?.data?.code };
    };
    expect(await call("account.update", { companyName: "Taken over" })).toEqual({
      status: 403,
      code: "FORBIDDEN",
    });
    expect(await call("inboxes.create", { name: "Mine" })).toEqual({
      status: 403,
      code: "FORBIDDEN",
    });
    // The same session may use what agents may: its own profile.
    const own = await context.request.get(url("/api/trpc/profile.get"));
    expect(own.status()).toBe(200);
    expect(problems).toEqual([]);
  });
});
