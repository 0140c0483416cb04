// With NETIA_REGISTRATION=closed the sign-up page says so instead of showing a
// form, and a sign-up sent anyway is refused with 403 and the same reason.
import { afterAll, beforeAll, expect, it } from "vitest";
import { type BrowserContext, type Page, startWebHarness, type WebHarness } from "./harness";

let harness: WebHarness;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  harness = await startWebHarness("signup-closed", { registration: "closed" });
  context = await harness.newContext();
  page = await context.newPage();
}, 180_000);

afterAll(async () => {
  await context?.close().catch(() => {});
  await harness?.close();
}, 60_000);

it("shows that sign-up is closed, and the server refuses one with 403", async () => {
  await page.goto(`${harness.server.url}/signup`);
  await page.getByTestId("signup-closed").waitFor();
  expect(await page.getByTestId("signup-form").count()).toBe(0);
  expect(await page.getByTestId("signup-closed").textContent()).toMatch(/invitation/);

  const refused = await page.evaluate(async () => {
    const res = await fetch("/api/trpc/auth.signUp", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: "Someone",
        email: `someone-${crypto.randomUUID()}@example.com`,
        password: "correct horse battery",
        companyName: "Uninvited",
      }),
    });
    return { status: res.status, body: await res.text() };
  });
  expect(refused.status).toBe(403);
  expect(refused.body).toMatch(/Sign-up is closed on this Netia server/);
});
