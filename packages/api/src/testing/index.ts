// Helpers for tests that drive the real router through tRPC callers against a
// real database (Postgres or PGlite). Nothing here replaces Netia code.
// Test-only: the package exports this folder under the "netia-test" condition
// alone, which only the test runner and the benchmarks set, so production
// code cannot import it.
import { randomUUID } from "node:crypto";
import { testConfig } from "@netia/config/testing";
import type { Database } from "@netia/db";
import { openTestDatabase } from "@netia/db/testing";
import { createRuntime, type Runtime, type RuntimeOptions } from "@netia/runtime";
import { createCaller } from "../root";
import { type CreateContextOptions, createContext } from "../trpc";

export { testConfig } from "@netia/config/testing";
export { openEmptyDatabase, openTestDatabase, testDatabaseKind } from "@netia/db/testing";

export async function createTestRuntime(
  options: Partial<RuntimeOptions> & { database?: Database } = {},
): Promise<Runtime> {
  return createRuntime({
    config: testConfig(),
    database: options.database ?? (await openTestDatabase()),
    migrate: false,
    // Tests create many accounts from one address; the rate-limit test sets its own.
    rateLimits: {
      signUpPerIp: 1e6,
      loginPerIp: 1e6,
      loginFailsPerEmailIp: 1e6,
      loginFailsPerIp: 1e6,
      resetPerEmail: 1e6,
      widgetPerIp: 1e6,
      widgetPerAccount: 1e6,
      uploadsPerUploader: 1e6,
      uploadKibPerUploader: 1e9,
      uploadKibPerAccount: 1e9,
      apiKeyPerKey: 1e6,
    },
    ...options,
  });
}

export type Client = ReturnType<typeof createCaller> & {
  /** The Cookie header this client sends next (cookies set by earlier responses). */
  cookieHeader(): string;
};

/** A caller that keeps cookies between calls, as a browser would. */
export function client(
  runtime: Runtime,
  {
    signal,
    cookie: initialCookie,
    headers: extraHeaders,
    ...opts
  }: Partial<Pick<CreateContextOptions, "ip" | "widgetToken">> & {
    /** Aborting it ends the subscriptions started through this client. */
    signal?: AbortSignal;
    /** A Cookie header to start with (another client's `cookieHeader()`). */
    cookie?: string;
    /** Extra request headers, e.g. the Origin a browser would send. */
    headers?: Record<string, string>;
  } = {},
): Client {
  const cookies = new Map<string, string>(
    (initialCookie ?? "")
      .split(";")
      .map((pair) => pair.trim().split("=") as [string, string])
      .filter(([name, value]) => name && value !== undefined),
  );
  let unread: Headers[] = [];
  // Responses' Set-Cookie lines are read lazily, before the next call needs them.
  const absorb = () => {
    for (const resHeaders of unread) {
      for (const line of resHeaders.getSetCookie()) {
        const pair = line.split(";")[0] ?? "";
        const eq = pair.indexOf("=");
        if (eq < 0) continue;
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        if (value === "" || /max-age=0/i.test(line)) cookies.delete(name);
        else cookies.set(name, value);
      }
    }
    unread = [];
  };
  const cookieHeader = () => {
    absorb();
    return [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  };
  const caller = createCaller(
    () => {
      const headers = new Headers(extraHeaders);
      const cookie = cookieHeader();
      if (cookie) headers.set("cookie", cookie);
      const resHeaders = new Headers();
      unread.push(resHeaders);
      return createContext({ runtime, headers, resHeaders, ...opts });
    },
    { signal },
  );
  // The caller is a proxy that treats every property as a procedure path.
  return new Proxy(caller, {
    get: (target, prop, receiver) =>
      prop === "cookieHeader" ? cookieHeader : Reflect.get(target, prop, receiver),
  }) as Client;
}

let counter = 0;
/** A unique email per call, so tests sharing one database never collide. */
export const uniqueEmail = (label = "agent") =>
  `${label}-${Date.now().toString(36)}-${(counter++).toString(36)}-${randomUUID().slice(0, 6)}@test.netia.dev`;

/** Signs up a new account; returns its admin's logged-in client and ids. */
export async function signUpAccount(runtime: Runtime, companyName = "Acme") {
  const admin = client(runtime);
  const email = uniqueEmail("admin");
  const { user, account } = await admin.auth.signUp({
    name: "Admin",
    email,
    password: "correct horse battery",
    companyName,
  });
  const [inbox] = await admin.inboxes.list();
  if (!inbox) throw new Error("sign-up created no inbox");
  return { admin, user, account, inbox, email, password: "correct horse battery" };
}

/** Starts a widget session for a new anonymous visitor of `accountId`. */
export async function newVisitor(runtime: Runtime, accountId: string) {
  const anonymous = client(runtime);
  const session = await anonymous.widget.identify({
    accountToken: accountId,
    visitorId: `visitor-${randomUUID()}`,
  });
  return { ...session, widget: client(runtime, { widgetToken: session.sessionToken }) };
}

/** The token of an invitation or password-reset link (`…/invite/<token>`). */
export function tokenOfLink(url: string): string {
  return decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "");
}
