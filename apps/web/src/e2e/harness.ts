// One Netia server in this process and one Chromium, for the browser tests.
// Outside CI the server runs Next.js in dev mode, so the tests exercise the
// current source; in CI (CI=true, after `pnpm build`) the production build.
// NETIA_E2E_MODE=dev|build overrides the choice.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { openTestDatabase } from "@netia/api/testing";
import { loadConfig } from "@netia/config";
import type { AuthHooks, RateLimitSettings } from "@netia/core";
import { closeRuntime, createRuntime, type Runtime } from "@netia/runtime";
import { launchChromium } from "@netia/testkit/browser";
import { type RunningServer, startServer } from "../../server";

// playwright-core is the test kit's dependency; its types come through launchChromium.
export type Browser = Awaited<ReturnType<typeof launchChromium>>;
export type BrowserContext = Awaited<ReturnType<Browser["newContext"]>>;
export type Page = Awaited<ReturnType<BrowserContext["newPage"]>>;

export const UI_TIMEOUT = 30_000;
const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** Whether tests run Next.js in dev mode (else the production build). */
export function useDevServer(): boolean {
  const mode = process.env.NETIA_E2E_MODE;
  if (mode === "dev" || mode === "build") return mode === "dev";
  return process.env.CI !== "true";
}

export type WebHarness = {
  /** Next.js in dev mode (else the production build). */
  dev: boolean;
  server: RunningServer;
  runtime: Runtime;
  browser: Browser;
  /** A new browser context (its own cookies and storage) at the usual size. */
  newContext(): Promise<BrowserContext>;
  close(): Promise<void>;
};

export type WebServer = Pick<WebHarness, "dev" | "server" | "runtime" | "close">;

/**
 * One Netia server in this process (dev mode or the production build, as for
 * the browser tests), without a browser. `env` adds settings to the test
 * configuration; `rateLimits` replaces the generous test limits.
 */
export async function startWebServer(
  name: string,
  options: {
    env?: Record<string, string>;
    rateLimits?: Partial<RateLimitSettings>;
    /** Run on a new embedded database (PGlite, as `npm start` does) instead of the test database. */
    embedded?: boolean;
    /** Replaces the runtime's auth hooks, e.g. to read the password-reset links it sends. */
    hooks?: Partial<AuthHooks>;
    /** A fixed port (any free one unless given), for tests whose BACKEND_URL must be the server's. */
    port?: number;
  } = {},
): Promise<WebServer> {
  const dev = useDevServer();
  if (!dev && !existsSync(join(APP_DIR, ".next/BUILD_ID"))) {
    throw new Error("no production build of apps/web: run `pnpm build` first");
  }
  const dataDir = mkdtempSync(join(tmpdir(), `netia-${name}-e2e-`));
  const config = loadConfig({
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    NETIA_DATA_DIR: dataDir,
    SECRET_KEY_BASE: "x".repeat(64),
    LOG_LEVEL: "warn",
    // Tests sign up accounts of their own, unless one checks closed sign-up.
    NETIA_REGISTRATION: "open",
    ...options.env,
  });
  const runtime = await createRuntime({
    config,
    database: options.embedded ? undefined : await openTestDatabase(),
    hooks: options.hooks,
    // Every simulated person comes from 127.0.0.1.
    rateLimits: options.rateLimits ?? {
      signUpPerIp: 1000,
      loginPerIp: 1000,
      widgetPerIp: 1_000_000,
      widgetPerAccount: 1_000_000,
    },
  });
  const server = await startServer({ config, runtime, port: options.port ?? 0, dev });
  return {
    dev,
    server,
    runtime,
    async close() {
      await server.close();
      await closeRuntime(runtime);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startWebHarness(
  name: string,
  {
    registration = "open",
    hooks,
  }: { registration?: "open" | "first" | "closed"; hooks?: Partial<AuthHooks> } = {},
): Promise<WebHarness> {
  const web = await startWebServer(name, { env: { NETIA_REGISTRATION: registration }, hooks });
  const browser = await launchChromium();
  return {
    ...web,
    browser,
    async newContext() {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      context.setDefaultTimeout(UI_TIMEOUT);
      return context;
    },
    async close() {
      await browser.close().catch(() => {});
      await web.close();
    },
  };
}

/** The password every browser sign-up uses. */
export const TEST_PASSWORD = "correct horse battery";

/**
 * Signs up a new account through the /signup page and waits for the inbox;
 * returns who signed up and the new account's id. `label` names the company
 * and the email, so a failing test's data is easy to find.
 */
export async function signUpInBrowser(
  page: Page,
  baseUrl: string,
  { label = "Acme", name = "Ada Admin" }: { label?: string; name?: string } = {},
) {
  const suffix = crypto.randomUUID().slice(0, 8);
  const email = `${label.toLowerCase().replace(/\W+/g, "-")}-${suffix}@example.com`;
  const companyName = `${label} ${suffix}`;
  // The first page of a dev server compiles on request: give it longer than a click.
  await page.goto(`${baseUrl}/signup`, { timeout: 120_000 });
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(TEST_PASSWORD);
  await page.getByLabel("Company name").fill(companyName);
  await page.getByTestId("signup-submit").click();
  await page.waitForURL(/\/inbox$/);
  const me = await page.evaluate(async () => {
    const res = await fetch("/api/trpc/auth.me");
    return (await res.json()) as {
      result: { data: { account: { id: string }; user: { id: string } } };
    };
  });
  const { account, user } = me.result.data;
  return { email, password: TEST_PASSWORD, companyName, accountId: account.id, userId: user.id };
}

/** Logs in through the /login page and waits for `landing` (the inbox). */
export async function logInInBrowser(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
  landing: RegExp = /\/inbox$/,
) {
  if (!page.url().includes("/login")) await page.goto(`${baseUrl}/login`, { timeout: 120_000 });
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByTestId("login-submit").click();
  await page.waitForURL(landing);
}
