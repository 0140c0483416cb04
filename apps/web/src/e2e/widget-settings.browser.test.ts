import type { AppRouter } from "@netia/api";
import { client, signUpAccount, tokenOfLink, uniqueEmail } from "@netia/api/testing";
import type { Runtime } from "@netia/runtime";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build } from "../../../../packages/widget/scripts/build.mjs";
import type { RunningServer } from "../../server";
import {
  type BrowserContext,
  logInInBrowser,
  type Page,
  signUpInBrowser,
  startWebHarness,
  UI_TIMEOUT,
  type WebHarness,
} from "./harness";

const SCREENSHOT = "/tmp/netia-widget-settings.png";

/** What websites' widgets get: no cookie, only the account token. */
function publicClient(baseUrl: string) {
  return createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${baseUrl}/api/trpc` })] });
}

/** A tRPC query from the page, with the signed-in agent's cookie. */
async function pageQuery<T>(page: Page, path: string, input?: unknown): Promise<T> {
  return page.evaluate(
    async ({ path, input }) => {
      const query =
        input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
      const res = await fetch(`/api/trpc/${path}${query}`);
      const body = (await res.json()) as { result: { data: unknown } };
      return body.result.data;
    },
    { path, input },
  ) as Promise<T>;
}

describe("chat widget settings in Chromium", () => {
  let harness: WebHarness;
  let runtime: Runtime;
  let server: RunningServer;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // The preview mounts the widget this server ships (/widget-app.js).
    await build({ quiet: true });
    harness = await startWebHarness("widget-settings");
    ({ runtime, server } = harness);
  }, 240_000);

  afterAll(async () => {
    await harness?.close();
  }, 60_000);

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await harness.newContext();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: server.url,
    });
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    return { context, page };
  }

  it("edits, previews and saves the widget, installs it, and rotates the identity secret", {
    timeout: 180_000,
  }, async () => {
    const { context, page } = await newPage();
    try {
      const { accountId } = await signUpInBrowser(page, server.url);
      const [inbox] = await pageQuery<{ id: string; isDefault: boolean }[]>(page, "inboxes.list");
      const inboxId = inbox!.id;
      const widget = publicClient(server.url);
      const config = () => widget.widget.config.query({ accountToken: accountId, inboxId });

      // 1. The header leads to the settings; the default inbox is picked.
      await page.getByTestId("nav-settings").click();
      await page.waitForURL(/\/settings\/widget/);
      expect(await page.getByTestId("nav-settings").getAttribute("aria-current")).toBe("page");
      expect(await page.getByTestId("inbox-picker").inputValue()).toBe(inboxId);
      const title = page.getByLabel("Title", { exact: true });
      const color = page.getByLabel("Primary colour", { exact: true });
      await expect.poll(() => title.inputValue(), { timeout: UI_TIMEOUT }).toBe("Welcome!");
      expect(await color.inputValue()).toBe("#1890ff");

      // 2. The preview is the real widget, open, on sample messages.
      const preview = page.getByTestId("widget-preview");
      await page.locator('[data-testid="widget-preview"][data-status="ready"]').waitFor();
      const previewTitle = preview.locator("#nw-title");
      await expect.poll(() => previewTitle.textContent(), { timeout: UI_TIMEOUT }).toBe("Welcome!");
      expect(await preview.getByTestId("netia-message").count()).toBe(2);
      const headColor = () =>
        preview.locator(".nw-head").evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(await headColor()).toBe("rgb(24, 144, 255)");

      // 3. It follows the unsaved values as the admin types.
      await title.fill("Acme support");
      await color.fill("#0f766e");
      await expect
        .poll(() => previewTitle.textContent(), { timeout: UI_TIMEOUT })
        .toBe("Acme support");
      await expect.poll(headColor, { timeout: UI_TIMEOUT }).toBe("rgb(15, 118, 110)");
      expect(await page.getByTestId("primary-color-picker").inputValue()).toBe("#0f766e");
      await page.getByTestId("preview-agents-online").click();
      await page.getByLabel("Away message").fill("Back **tomorrow**");
      await expect
        .poll(() => preview.getByTestId("netia-away").textContent(), { timeout: UI_TIMEOUT })
        .toBe("Back tomorrow");
      expect(await page.getByTestId("save-status").textContent()).toBe("Unsaved changes");
      // Nothing is stored yet.
      expect((await config()).settings.title).toBe("Welcome!");

      // 4. Saved: kept after a reload, and what websites' widgets now get.
      await page.getByTestId("widget-settings-save").click();
      await expect
        .poll(() => page.getByTestId("save-status").textContent(), { timeout: UI_TIMEOUT })
        .toBe("Saved");
      const saved = await config();
      expect(saved.settings).toMatchObject({
        title: "Acme support",
        primaryColor: "#0f766e",
        awayMessage: "Back **tomorrow**",
      });
      await page.reload();
      await expect.poll(() => title.inputValue(), { timeout: UI_TIMEOUT }).toBe("Acme support");
      expect(await color.inputValue()).toBe("#0f766e");
      await expect
        .poll(() => previewTitle.textContent(), { timeout: UI_TIMEOUT })
        .toBe("Acme support");

      // 5. The server's validation errors show by their fields.
      await color.fill("#12345");
      await page.getByLabel("Allowed origins").fill("https://www.acme.test\nnot a url");
      await page.getByTestId("widget-settings-save").click();
      const colorError = page.getByTestId("field-error-primaryColor");
      await colorError.waitFor();
      expect(await colorError.textContent()).toMatch(/hex colour/i);
      expect(await color.getAttribute("aria-invalid")).toBe("true");
      expect(await color.getAttribute("aria-describedby")).toContain(
        await colorError.getAttribute("id"),
      );
      expect(await page.getByTestId("field-error-allowedOrigins").textContent()).toMatch(/^Line 2/);
      expect(await page.getByTestId("save-status").textContent()).toMatch(/Not saved/);
      // The first invalid field has the focus.
      await expect
        .poll(() => color.evaluate((el) => el === document.activeElement), {
          timeout: UI_TIMEOUT,
        })
        .toBe(true);
      expect((await config()).settings.primaryColor).toBe("#0f766e");
      await color.fill("#0F766E");
      await colorError.waitFor({ state: "detached" });
      await page.getByLabel("Allowed origins").fill("https://www.acme.test");
      await page.getByTestId("widget-settings-save").click();
      await expect
        .poll(() => page.getByTestId("save-status").textContent(), { timeout: UI_TIMEOUT })
        .toBe("Saved");
      const admin = await pageQuery<{ allowedOrigins?: string[] }>(
        page,
        "inboxes.getWidgetSettings",
        { inboxId },
      );
      expect(admin.allowedOrigins).toEqual(["https://www.acme.test"]);

      // 6. The install snippets name this account, inbox and server; Copy copies them.
      const script = await page.getByTestId("snippet-script-code").textContent();
      expect(script).toContain(`src="${server.url}/widget.js"`);
      expect(script).toContain(`data-token="${accountId}"`);
      expect(script).toContain(`data-inbox="${inboxId}"`);
      await page.getByTestId("snippet-script-copy").click();
      await expect
        .poll(() => page.getByTestId("snippet-script-copy").getAttribute("data-state"))
        .toBe("copied");
      const clipboard = await page.evaluate(() => navigator.clipboard.readText());
      expect(clipboard).toBe(script);
      const react = await page.getByTestId("snippet-react-code").textContent();
      expect(react).toContain(`token="${accountId}"`);
      expect(react).toContain(`inbox="${inboxId}"`);
      expect(react).toContain(`baseUrl="${server.url}"`);

      // 7. The hash samples are tabs; arrow keys move between them.
      const nodeTab = page.getByRole("tab", { name: "Node.js" });
      await nodeTab.focus();
      await page.keyboard.press("ArrowRight");
      expect(await page.getByRole("tab", { name: "Python" }).getAttribute("aria-selected")).toBe(
        "true",
      );
      expect(await page.getByTestId("hash-sample-python-code").textContent()).toContain(
        "hashlib.sha256",
      );

      // 8. Identity verification: on, and the secret revealed, then rotated.
      await page.getByTestId("require-identity-verification").click();
      await expect
        .poll(() => page.getByTestId("identity-status").textContent(), { timeout: UI_TIMEOUT })
        .toBe("Required");
      // The badge shows the new state while the change is still on its way: wait for the server.
      await expect
        .poll(async () => (await config()).requireIdentityVerification, { timeout: UI_TIMEOUT })
        .toBe(true);
      const secretInput = page.getByTestId("identity-secret");
      expect(await secretInput.getAttribute("type")).toBe("password");
      await page.getByTestId("identity-secret-reveal").click();
      expect(await secretInput.getAttribute("type")).toBe("text");
      const before = await secretInput.inputValue();
      expect(before).toMatch(/^[0-9a-f]{64}$/);
      await page.getByTestId("identity-secret-rotate").click();
      await page.getByTestId("identity-secret-confirm").waitFor();
      await page.getByTestId("identity-secret-rotate-confirm").click();
      await page.getByTestId("identity-secret-rotated").waitFor();
      const after = await secretInput.inputValue();
      expect(after).toMatch(/^[0-9a-f]{64}$/);
      expect(after).not.toBe(before);
      const stored = await pageQuery<{ identitySecret: string }>(page, "inboxes.get", {
        id: inboxId,
      });
      expect(stored.identitySecret).toBe(after);

      await page.getByTestId("widget-settings-form").scrollIntoViewIfNeeded();
      await page.locator("main").evaluate((el) => el.scrollTo(0, 0));
      await page.screenshot({ path: SCREENSHOT });
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("tells an agent that only admins change the widget", async () => {
    const { admin } = await signUpAccount(runtime, "Admins-only Co");
    const email = uniqueEmail("agent");
    const { url } = await admin.team.invite({ email, role: "agent" });
    await client(runtime).auth.acceptInvitation({
      token: tokenOfLink(url),
      name: "Alan Agent",
      password: "agent password 1",
    });
    const { context, page } = await newPage();
    try {
      await logInInBrowser(page, server.url, email, "agent password 1");
      await page.getByTestId("nav-settings").click();
      await page.waitForURL(/\/settings\/profile$/);
      await page.goto(`${server.url}/settings/widget`);
      await page.getByTestId("admin-only").waitFor();
      expect(await page.getByLabel("Title", { exact: true }).count()).toBe(0);
      expect(await page.getByTestId("widget-settings-save").count()).toBe(0);
      expect(await page.getByTestId("identity-secret").count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
