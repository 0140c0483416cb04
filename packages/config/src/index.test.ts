import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./index";

const dataDir = () => mkdtempSync(join(tmpdir(), "netia-config-"));
const secret = "s".repeat(64);

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("loadConfig", () => {
  it("runs on the embedded database with a generated, persisted secret when nothing is set", () => {
    const dir = dataDir();
    const config = loadConfig({ NETIA_DATA_DIR: dir });
    expect(config.port).toBe(4000);
    expect(config.database).toEqual({ kind: "pglite", dir: join(dir, "db") });
    expect(Buffer.byteLength(config.secretKeyBase)).toBeGreaterThanOrEqual(64);
    expect(readFileSync(join(dir, "secret_key_base"), "utf8").trim()).toBe(config.secretKeyBase);
    expect(loadConfig({ NETIA_DATA_DIR: dir }).secretKeyBase).toBe(config.secretKeyBase);
    expect(config.backendUrl).toBe("http://localhost:4000");
  });

  it("accepts postgresql:// and postgres:// URLs, sslmode=require and REQUIRE_DB_SSL", () => {
    const base = { NETIA_DATA_DIR: dataDir(), SECRET_KEY_BASE: secret };
    const a = loadConfig({
      ...base,
      DATABASE_URL: "postgresql://u:p@db.example:5432/app?sslmode=require",
    });
    expect(a.database).toMatchObject({ kind: "postgres", ssl: true, poolSize: 10 });
    const b = loadConfig({ ...base, DATABASE_URL: "postgres://u@db/app", POOL_SIZE: "3" });
    expect(b.database).toMatchObject({ kind: "postgres", ssl: false, poolSize: 3 });
    const c = loadConfig({ ...base, DATABASE_URL: "postgres://u@db/app", REQUIRE_DB_SSL: "true" });
    expect(c.database).toMatchObject({ ssl: true });
  });

  it("refuses webhooks to private networks unless WEBHOOKS_ALLOW_PRIVATE_NETWORKS is true", () => {
    const base = { NETIA_DATA_DIR: dataDir(), SECRET_KEY_BASE: secret };
    expect(loadConfig(base).webhooks.allowPrivateNetworks).toBe(false);
    const allowed = loadConfig({ ...base, WEBHOOKS_ALLOW_PRIVATE_NETWORKS: "true" });
    expect(allowed.webhooks.allowPrivateNetworks).toBe(true);
    expect(problems({ ...base, WEBHOOKS_ALLOW_PRIVATE_NETWORKS: "yes" })).toEqual([
      expect.stringMatching(/^WEBHOOKS_ALLOW_PRIVATE_NETWORKS /),
    ]);
  });

  it("prefers REDIS_TLS_URL over REDIS_URL", () => {
    const config = loadConfig({
      NETIA_DATA_DIR: dataDir(),
      REDIS_URL: "redis://localhost:6379",
      REDIS_TLS_URL: "rediss://cache.example:6380",
    });
    expect(config.redisUrl).toBe("rediss://cache.example:6380");
  });

  it("fails with one clear line per problem", () => {
    expect(problems({ NODE_ENV: "production", NETIA_DATA_DIR: dataDir() })).toEqual([
      expect.stringMatching(/^SECRET_KEY_BASE is required in production/),
    ]);
    expect(problems({ SECRET_KEY_BASE: "short", NETIA_DATA_DIR: dataDir() })).toEqual([
      expect.stringMatching(/^SECRET_KEY_BASE must be at least 64 bytes \(got 5\)/),
    ]);
    const many = problems({
      DATABASE_URL: "mysql://x/y",
      PORT: "eighty",
      POOL_SIZE: "0",
      REDIS_URL: "http://x",
    });
    expect(many).toHaveLength(4);
    expect(many).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^DATABASE_URL must start with postgresql:\/\/ or postgres:\/\//),
        expect.stringMatching(/^PORT must be a whole number/),
        expect.stringMatching(/^POOL_SIZE must be a whole number/),
        expect.stringMatching(/^REDIS_URL must start with redis:\/\//),
      ]),
    );
  });

  it("reads TRUST_PROXY as no proxy, a hop count or proxy addresses, and refuses true", () => {
    const base = { NETIA_DATA_DIR: dataDir(), SECRET_KEY_BASE: secret };
    expect(loadConfig(base).trustProxy).toEqual({ hops: 0 });
    expect(loadConfig({ ...base, TRUST_PROXY: "false" }).trustProxy).toEqual({ hops: 0 });
    expect(loadConfig({ ...base, TRUST_PROXY: "1" }).trustProxy).toEqual({ hops: 1 });
    expect(
      loadConfig({ ...base, TRUST_PROXY: "10.0.0.0/8, 2001:db8::1, loopback" }).trustProxy,
    ).toEqual({ addresses: ["10.0.0.0/8", "2001:db8::1", "loopback"] });
    expect(problems({ ...base, TRUST_PROXY: "true" })[0]).toMatch(
      /^TRUST_PROXY must not be true: trusting every hop lets any client choose its address/,
    );
    expect(problems({ ...base, TRUST_PROXY: "10.0.0.300" })[0]).toMatch(
      /^TRUST_PROXY must be false, a hop count or comma-separated addresses\/CIDRs/,
    );
    expect(problems({ ...base, TRUST_PROXY: "11" })).toEqual([
      "TRUST_PROXY must be a hop count from 0 to 10",
    ]);
  });

  it("does not write a secret in production", () => {
    const dir = dataDir();
    problems({ NODE_ENV: "production", NETIA_DATA_DIR: dir });
    expect(existsSync(join(dir, "secret_key_base"))).toBe(false);
  });

  it("reads every variable of the deployment guide, with its documented defaults", () => {
    const base = { NETIA_DATA_DIR: dataDir(), SECRET_KEY_BASE: secret };
    const defaults = loadConfig(base);
    expect(defaults.llm).toEqual({
      apiKey: undefined,
      baseUrl: undefined,
      model: "gpt-4o-mini",
      maxTokens: 500,
      temperature: 0.7,
      timeoutMs: 30_000,
      maxRetries: 2,
      embeddingModel: "text-embedding-3-small",
    });
    expect(loadConfig({ ...base, LLM_EMBEDDING_MODEL: "off" }).llm.embeddingModel).toBeNull();
    expect(defaults.smtp).toBeNull();
    expect(defaults.stripe).toBeNull();
    const full = loadConfig({
      ...base,
      MIX_ENV: "prod",
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: "http://127.0.0.1:9999/v1/",
      LLM_MODEL: "gpt-4.1",
      LLM_MAX_TOKENS: "800",
      LLM_TEMPERATURE: "0.2",
      LLM_TIMEOUT: "10",
      LLM_MAX_RETRIES: "0",
      SMTP_HOST: "smtp.example.com",
      SMTP_PORT: "2525",
      SMTP_USERNAME: "user",
      SMTP_PASSWORD: "pass",
      PAPERCUPS_STRIPE_SECRET: "sk_test_123",
      REACT_APP_STRIPE_PUBLIC_KEY: "pk_test_123",
    });
    expect(full.env).toBe("production");
    expect(full.llm).toMatchObject({
      baseUrl: "http://127.0.0.1:9999/v1",
      maxTokens: 800,
      temperature: 0.2,
      timeoutMs: 10_000,
      maxRetries: 0,
    });
    expect(full.smtp).toEqual({
      host: "smtp.example.com",
      port: 2525,
      username: "user",
      password: "pass",
    });
    expect(full.stripe).toEqual({ secretKey: "sk_test_123", publishableKey: "pk_test_123" });
  });

  it("reads the per-key API rate limit, 600 a minute unless set", () => {
    const base = { NETIA_DATA_DIR: dataDir(), SECRET_KEY_BASE: secret };
    expect(loadConfig(base).rateLimits.apiKeyPerKey).toBe(600);
    expect(
      loadConfig({ ...base, API_KEY_RATE_LIMIT_PER_MINUTE: "50" }).rateLimits.apiKeyPerKey,
    ).toBe(50);
    expect(problems({ ...base, API_KEY_RATE_LIMIT_PER_MINUTE: "0" })).toEqual([
      expect.stringMatching(/^API_KEY_RATE_LIMIT_PER_MINUTE /),
    ]);
  });

  it("rejects malformed integration settings, one line each", () => {
    const lines = problems({
      NETIA_DATA_DIR: dataDir(),
      LLM_TEMPERATURE: "hot",
      LLM_MAX_TOKENS: "-1",
      SMTP_PORT: "smtp",
      PAPERCUPS_STRIPE_SECRET: "pk_wrong",
      OPENAI_BASE_URL: "ftp://x",
    });
    expect(lines).toHaveLength(5);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^LLM_TEMPERATURE must be a number from 0 to 2/),
        expect.stringMatching(/^PAPERCUPS_STRIPE_SECRET must be a Stripe secret key/),
      ]),
    );
  });

  it("reads Slack's app settings, which are set all together or not at all", () => {
    const base = { NETIA_DATA_DIR: dataDir(), SECRET_KEY_BASE: secret };
    expect(loadConfig(base).slack).toBeNull();
    const app = {
      SLACK_CLIENT_ID: "1234.5678",
      SLACK_CLIENT_SECRET: "client-secret",
      SLACK_SIGNING_SECRET: "8f742231b10e8888abcd99yyyzzz85a5",
    };
    expect(loadConfig({ ...base, ...app }).slack).toEqual({
      clientId: "1234.5678",
      clientSecret: "client-secret",
      signingSecret: app.SLACK_SIGNING_SECRET,
      apiUrl: "https://slack.com/api/",
    });
    expect(
      loadConfig({ ...base, ...app, SLACK_API_URL: "http://127.0.0.1:9000/api/" }).slack?.apiUrl,
    ).toBe("http://127.0.0.1:9000/api/");
    expect(problems({ ...base, SLACK_CLIENT_ID: "1234.5678" })).toEqual([
      "SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET must be set together",
    ]);
    expect(problems({ ...base, ...app, SLACK_SIGNING_SECRET: "short" })[0]).toMatch(
      /^SLACK_SIGNING_SECRET /,
    );
  });

  it("reads who may sign up, with Papercups' switch meaning closed", () => {
    const base = { NETIA_DATA_DIR: dataDir(), SECRET_KEY_BASE: secret };
    expect(loadConfig(base).registration).toBe("first");
    expect(loadConfig({ ...base, NETIA_REGISTRATION: "open" }).registration).toBe("open");
    expect(loadConfig({ ...base, NETIA_REGISTRATION: "closed" }).registration).toBe("closed");
    expect(loadConfig({ ...base, PAPERCUPS_REGISTRATION_DISABLED: "true" }).registration).toBe(
      "closed",
    );
    expect(loadConfig({ ...base, PAPERCUPS_REGISTRATION_DISABLED: "false" }).registration).toBe(
      "first",
    );
    // The Netia setting, when set, is the one that counts.
    expect(
      loadConfig({ ...base, NETIA_REGISTRATION: "open", PAPERCUPS_REGISTRATION_DISABLED: "true" })
        .registration,
    ).toBe("open");
    expect(problems({ ...base, NETIA_REGISTRATION: "sometimes" })[0]).toMatch(
      /^NETIA_REGISTRATION /,
    );
  });
});
