// The session cookie is `Secure` whenever browsers reach Netia over https: the
// dashboard's URL (REACT_APP_URL) or the server's (BACKEND_URL) says so.

import { describe, expect, it } from "vitest";
import { createCaller } from "../root";
import { createTestRuntime, testConfig, uniqueEmail } from "../testing";
import { createContext } from "../trpc";

async function sessionCookies(env: Record<string, string>) {
  const rt = await createTestRuntime({ config: testConfig(env) });
  try {
    const resHeaders = new Headers();
    const caller = createCaller(createContext({ runtime: rt, headers: new Headers(), resHeaders }));
    await caller.auth.signUp({
      name: "Admin",
      email: uniqueEmail(),
      password: "correct horse battery",
      companyName: "Acme",
    });
    return resHeaders.getSetCookie();
  } finally {
    await rt.database.close();
  }
}

describe("session cookies", () => {
  it("are Secure when the dashboard is served over https, even if the backend URL is not", async () => {
    const cookies = await sessionCookies({ REACT_APP_URL: "https://netia.example" });
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) expect(cookie).toMatch(/;\s*Secure/i);
  });

  it("are Secure when the server's URL is https", async () => {
    const cookies = await sessionCookies({ BACKEND_URL: "https://netia.example" });
    for (const cookie of cookies) expect(cookie).toMatch(/;\s*Secure/i);
  });

  it("are not Secure over plain http (local development)", async () => {
    const cookies = await sessionCookies({});
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) expect(cookie).not.toMatch(/;\s*Secure/i);
  });
});
