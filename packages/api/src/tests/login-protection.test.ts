// Login protection: failures count per email+IP and per IP, never per email
// alone, so an attacker cannot lock an agent out and a brute force from one
// address is refused with 429.

import type { Runtime } from "@netia/runtime";
import { afterAll, beforeAll, expect, it } from "vitest";
import { client, createTestRuntime, signUpAccount, uniqueEmail } from "../testing";

let rt: Runtime;
let strict: Runtime;
beforeAll(async () => {
  rt = await createTestRuntime();
  strict = await createTestRuntime({
    database: rt.database,
    rateLimits: { loginPerIp: 1000, loginFailsPerEmailIp: 5, loginFailsPerIp: 12 },
  });
});
afterAll(async () => {
  await rt.database.close();
});

const logIn = (ip: string, email: string, password: string) =>
  client(strict, { ip }).auth.logIn({ email, password });

it("never locks the agent out from their own address, however often an attacker fails", async () => {
  const { email, password } = await signUpAccount(rt);
  const attackerIp = "203.0.113.10";
  const outcomes: string[] = [];
  for (let i = 0; i < 8; i++) {
    outcomes.push(
      await logIn(attackerIp, email, `guess ${i}`).then(
        () => "ok",
        (error: { code: string }) => error.code,
      ),
    );
  }
  // Five failures, then the sixth starts the lockout; the right password is refused too.
  expect(outcomes).toEqual([
    ...Array(5).fill("UNAUTHORIZED"),
    ...Array(3).fill("TOO_MANY_REQUESTS"),
  ]);
  await expect(logIn(attackerIp, email, password)).rejects.toMatchObject({
    code: "TOO_MANY_REQUESTS",
  });

  const agent = await logIn("198.51.100.20", email, password);
  expect(agent.user.email).toBe(email);
});

it("refuses a brute force from one address with 429, whichever emails it tries", async () => {
  const ip = "203.0.113.11";
  const codes: string[] = [];
  for (let i = 0; i < 14; i++) {
    codes.push(
      await logIn(ip, uniqueEmail("target"), "wrong password").then(
        () => "ok",
        (error: { code: string }) => error.code,
      ),
    );
  }
  expect(codes.slice(0, 12)).toEqual(Array(12).fill("UNAUTHORIZED"));
  expect(codes.slice(12)).toEqual(["TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS"]);
  // Locked out until tomorrow, even with a right password.
  const { email, password } = await signUpAccount(rt);
  await expect(logIn(ip, email, password)).rejects.toMatchObject({
    code: "TOO_MANY_REQUESTS",
    message: expect.stringMatching(/try again in \d+ minutes/),
  });
});

it("forgets an address's failures for an email once it logs in", async () => {
  const { email, password } = await signUpAccount(rt);
  const ip = "203.0.113.12";
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 4; i++) {
      await expect(logIn(ip, email, "typo")).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
    await logIn(ip, email, password);
  }
});
