// Settings → REST API in Chromium, for an agent: the reference lists every
// route of the OpenAPI document the server serves, under its section, with its
// parameters, body and response fields and a curl example; and the curl
// example, run with a real key, works.
import { openApiDocument } from "@netia/api/rest";
import { signUpAccount } from "@netia/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserContext, type Page, startWebHarness, type WebHarness } from "./harness";

describe("the API reference page in Chromium", () => {
  let harness: WebHarness;
  let context: BrowserContext;
  let page: Page;
  let account: Awaited<ReturnType<typeof signUpAccount>>;
  const problems: string[] = [];

  beforeAll(async () => {
    harness = await startWebHarness("api-reference");
    account = await signUpAccount(harness.runtime, "Reference Co");
    context = await harness.newContext();
    page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    await page.goto(`${harness.server.url}/login`, { timeout: 120_000 });
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password", { exact: true }).fill(account.password);
    await page.getByTestId("login-submit").click();
    await page.waitForURL(/\/inbox$/);
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await harness?.close();
  }, 60_000);

  it("renders every route of the document, with its fields and a curl example", async () => {
    await page.goto(`${harness.server.url}/settings`);
    await page
      .getByRole("navigation", { name: "Settings" })
      .getByRole("link", { name: "REST API" })
      .click();
    await page.waitForURL(/\/settings\/api$/);
    const document = openApiDocument(harness.runtime.config.appUrl);
    const operationIds = Object.values(document.paths ?? {}).flatMap((methods) =>
      Object.values(methods as Record<string, { operationId: string }>).map((op) => op.operationId),
    );
    const routes = page.getByTestId("api-route");
    await routes.first().waitFor();
    // Each route once, grouped by section.
    const shown = await routes.evaluateAll((els) => els.map((el) => el.dataset.operationId));
    expect([...shown].sort()).toEqual([...operationIds].sort());
    await expect
      .poll(() => page.getByTestId("api-base-url").textContent())
      .toBe(`${harness.runtime.config.appUrl}/api`);
    for (const section of ["Conversations", "Messages", "Customers", "Companies", "Tags"]) {
      await page.getByRole("heading", { name: section, exact: true }).waitFor();
    }

    // Replying: its path parameter, its body's fields, the message it answers with.
    const reply = page.locator('[data-operation-id="messages-reply"]');
    await reply.locator("summary").click();
    await reply.getByText("/v1/conversations/{conversationId}/messages").waitFor();
    const params = reply.getByTestId("api-parameters");
    expect(await params.getByRole("row").nth(1).textContent()).toBe(
      "conversationIdpathstring (uuid)yes",
    );
    const body = reply.getByTestId("api-request-body");
    expect(await body.textContent()).toContain("clientMessageId");
    const bodyRow = body.getByRole("row").filter({ hasText: /^body/ });
    expect(await bodyRow.textContent()).toMatch(/^bodystring, ≤ 10000 charsyes$/);
    const response = reply.getByTestId("api-response");
    expect(await response.textContent()).toContain("attachments[].filename");
    const curl = await reply.locator("pre").textContent();
    expect(curl).toContain(
      `-X POST "${harness.runtime.config.appUrl}/api/v1/conversations/<conversationId>/messages"`,
    );
    expect(curl).toContain('"body":"<body>"');

    // The list of conversations reads its filters from the query string.
    const list = page.locator('[data-operation-id="conversations-list"]');
    await list.locator("summary").click();
    const limit = list
      .getByTestId("api-parameters")
      .getByRole("row")
      .filter({ hasText: /^limit/ });
    expect(await limit.textContent()).toBe("limitqueryinteger, ≥ 1, ≤ 100 = 25no");

    // The document itself is one click away, at its stable address.
    expect(await page.getByTestId("api-document-link").getAttribute("href")).toBe(
      "/api/v1/openapi.json",
    );
    expect(problems).toEqual([]);
  });

  it("shows a curl example that works as written, given a key", async () => {
    const { secret } = await account.admin.apiKeys.create({ label: "curl", scopes: ["read"] });
    const tags = page.locator('[data-operation-id="tags-list"]');
    await tags.locator("summary").click();
    const curl = (await tags.locator("pre").textContent()) ?? "";
    const url = curl.match(/"(http[^"]+)"/)?.[1];
    expect(url).toBe(`${harness.runtime.config.appUrl}/api/v1/tags`);
    expect(curl).toContain('-H "Authorization: Bearer $NETIA_API_KEY"');
    // The document names the configured app URL; this server listens on its own port.
    const local = new URL(new URL(url ?? "").pathname, harness.server.url);
    const res = await fetch(local, { headers: { authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
  });
});
