// A password-reset link is a credential: without a mailer, production logs say
// a reset was asked for but never carry the link or its token; development
// logs the link so a developer can follow it.
import { Writable } from "node:stream";
import { createLogger } from "@netia/core";
import { describe, expect, it } from "vitest";
import { client, createTestRuntime, openTestDatabase, signUpAccount, testConfig } from "../testing";

async function logsOfReset(env: "production" | "development") {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const rt = await createTestRuntime({
    config: testConfig({ NODE_ENV: env }),
    database: await openTestDatabase(),
    logger: createLogger("info", sink),
  });
  try {
    const { email } = await signUpAccount(rt);
    await client(rt).auth.requestPasswordReset({ email });
    return lines.filter((line) => line.includes("password reset"));
  } finally {
    await rt.database.close();
  }
}

describe("password reset without a mailer", () => {
  it("logs that a reset was requested but never the link or its token in production", async () => {
    const lines = await logsOfReset("production");
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/token|reset-password/);
  });

  it("logs the link in development", async () => {
    const lines = await logsOfReset("development");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/reset-password\/[^/"]+"/);
  });
});
