// The one place Netia reads its environment. Every other package receives a
// parsed `Config` and never touches process.env itself.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import proxyaddr from "proxy-addr";
import { z } from "zod";

const MIN_SECRET_BYTES = 64;

const bool = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

/** A number within [min, max] from its text, `fallback` when unset; whole unless `fractions`. */
const numberFrom = (fallback: number, min: number, max: number, fractions = true) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return fallback;
      const n = Number(v);
      const ok = fractions ? Number.isFinite(n) : Number.isInteger(n);
      if (!ok || n < min || n > max) {
        const what = fractions ? "a number" : "a whole number";
        ctx.addIssue({ code: "custom", message: `must be ${what} from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

const intFrom = (fallback: number, min: number, max: number) =>
  numberFrom(fallback, min, max, false);

const postgresUrl = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      ctx.addIssue({ code: "custom", message: "is not a valid URL" });
      return z.NEVER;
    }
    if (url.protocol !== "postgresql:" && url.protocol !== "postgres:") {
      ctx.addIssue({
        code: "custom",
        message: `must start with postgresql:// or postgres:// (got ${url.protocol}//)`,
      });
      return z.NEVER;
    }
    if (!url.hostname || url.pathname.length <= 1) {
      ctx.addIssue({ code: "custom", message: "must name a host and a database" });
      return z.NEVER;
    }
    return v;
  });

const redisUrl = (scheme: "redis:" | "rediss:") =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      try {
        const url = new URL(v);
        if (url.protocol !== scheme && !(scheme === "redis:" && url.protocol === "rediss:")) {
          ctx.addIssue({ code: "custom", message: `must start with ${scheme}//` });
          return z.NEVER;
        }
      } catch {
        ctx.addIssue({ code: "custom", message: "is not a valid URL" });
        return z.NEVER;
      }
      return v;
    });

const httpUrl = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    try {
      const url = new URL(v);
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error();
      return url.origin;
    } catch {
      ctx.addIssue({ code: "custom", message: "must be an http(s) URL" });
      return z.NEVER;
    }
  });

const prefixed = (prefixes: string[], what: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      if (!prefixes.some((p) => v.startsWith(p))) {
        ctx.addIssue({
          code: "custom",
          message: `must be ${what} (starting with ${prefixes.join(" or ")})`,
        });
        return z.NEVER;
      }
      return v;
    });

/** A base URL whose path matters (OpenAI-compatible providers live under /v1). */
function httpUrlWithPath() {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      try {
        const url = new URL(v);
        if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error();
        return v.replace(/\/+$/, "");
      } catch {
        ctx.addIssue({ code: "custom", message: "must be an http(s) URL" });
        return z.NEVER;
      }
    });
}

/**
 * Which proxies in front of Netia may tell it the client's address in
 * X-Forwarded-For: `hops` proxies counted from the server (0: none, the socket's
 * peer is the client), or the proxies at these addresses/CIDRs (and the
 * names proxy-addr knows: loopback, linklocal, uniquelocal).
 */
export type TrustProxy = { hops: number } | { addresses: string[] };

const trustProxy = z
  .string()
  .optional()
  .transform((v, ctx): TrustProxy => {
    const value = v?.trim().toLowerCase() ?? "";
    if (value === "" || value === "false") return { hops: 0 };
    if (value === "true") {
      ctx.addIssue({
        code: "custom",
        message:
          "must not be true: trusting every hop lets any client choose its address; give the number of proxies in front of Netia (Railway: 1) or their addresses",
      });
      return z.NEVER;
    }
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops > 10) {
        ctx.addIssue({ code: "custom", message: "must be a hop count from 0 to 10" });
        return z.NEVER;
      }
      return { hops };
    }
    const addresses = value
      .split(",")
      .map((a) => a.trim())
      .filter(Boolean);
    try {
      proxyaddr.compile(addresses);
    } catch (error) {
      ctx.addIssue({
        code: "custom",
        message: `must be false, a hop count or comma-separated addresses/CIDRs (${(error as Error).message})`,
      });
      return z.NEVER;
    }
    return { addresses };
  });

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).optional(),
  /** Papercups deployments set MIX_ENV=prod; it means NODE_ENV=production here. */
  MIX_ENV: z.enum(["prod", "dev", "test"]).optional(),
  PORT: intFrom(4000, 1, 65535),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: postgresUrl,
  REQUIRE_DB_SSL: bool,
  POOL_SIZE: intFrom(10, 1, 500),
  NETIA_DATA_DIR: z.string().default(".netia"),
  SECRET_KEY_BASE: z.string().optional(),
  BACKEND_URL: httpUrl,
  REACT_APP_URL: httpUrl,
  REDIS_URL: redisUrl("redis:"),
  REDIS_TLS_URL: redisUrl("rediss:"),
  TRUST_PROXY: trustProxy,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // Who may create a new account (invitations are not sign-ups).
  NETIA_REGISTRATION: z.enum(["open", "first", "closed"]).optional(),
  /** Papercups' switch: true means NETIA_REGISTRATION=closed when that is unset. */
  PAPERCUPS_REGISTRATION_DISABLED: bool,
  // false on web nodes when separate `netia worker` processes run the jobs.
  RUN_JOBS: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1"),
  // Outbound webhooks may go to private, loopback and link-local addresses
  // (self-hosters whose receivers sit on their own network). Off: refused.
  WEBHOOKS_ALLOW_PRIVATE_NETWORKS: z
    .enum(["true", "false", "1", "0", ""])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
  // Widget rate limits, per minute.
  WIDGET_RATE_LIMIT_PER_IP: intFrom(600, 1, 1_000_000),
  WIDGET_RATE_LIMIT_PER_ACCOUNT: intFrom(30_000, 1, 100_000_000),
  // Calls per minute one API key may make (429 with Retry-After past it).
  API_KEY_RATE_LIMIT_PER_MINUTE: intFrom(600, 1, 1_000_000),
  // Upload volume: per visitor or agent per hour, per account per day.
  UPLOADS_PER_HOUR: intFrom(60, 1, 1_000_000),
  UPLOAD_MB_PER_HOUR: intFrom(100, 1, 1_000_000),
  UPLOAD_MB_PER_DAY_PER_ACCOUNT: intFrom(2048, 1, 100_000_000),
  // Uploads no message carries are removed after this many hours.
  UNATTACHED_UPLOAD_TTL_HOURS: intFrom(24, 1, 24 * 365),
  // The AI assistant (OpenAI or any OpenAI-compatible provider).
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: httpUrlWithPath(),
  LLM_MODEL: z.string().min(1).default("gpt-4o-mini"),
  LLM_MAX_TOKENS: intFrom(500, 1, 100_000),
  LLM_TEMPERATURE: numberFrom(0.7, 0, 2),
  LLM_TIMEOUT: intFrom(30, 1, 600),
  LLM_MAX_RETRIES: intFrom(2, 0, 10),
  // Embeddings for the knowledge base's hybrid search; "off" when the provider has none.
  LLM_EMBEDDING_MODEL: z.string().min(1).default("text-embedding-3-small"),
  // Email over SMTP.
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: intFrom(587, 1, 65535),
  SMTP_USERNAME: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  // The From of every email: an address, or `Name <address>`.
  SMTP_FROM: z.string().optional(),
  // Replies by email: the domain of reply-to addresses (its MX points at Netia
  // or at a provider that forwards to the inbound endpoint).
  INBOUND_EMAIL_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$|^localhost$/i, "must be a domain name like reply.example.com")
    .optional(),
  // The inbound SMTP listener's port; unset: no listener.
  INBOUND_SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // Signing key that inbound-parse webhooks (Mailgun format) are verified with.
  INBOUND_EMAIL_SIGNING_KEY: z.string().min(16, "must be at least 16 characters").optional(),
  // Gmail as a channel (Google OAuth client of type "Web application").
  GOOGLE_CLIENT_ID: z.string().optional(),
  GOOGLE_CLIENT_SECRET: z.string().optional(),
  // Where Google's APIs and OAuth token endpoint are; only tests change them.
  GOOGLE_API_URL: httpUrlWithPath(),
  GOOGLE_OAUTH_URL: httpUrlWithPath(),
  // Slack (an app of your own at api.slack.com/apps): install with OAuth v2,
  // Events API and interactivity requests verified with the signing secret.
  SLACK_CLIENT_ID: z.string().optional(),
  SLACK_CLIENT_SECRET: z.string().optional(),
  SLACK_SIGNING_SECRET: z.string().min(16, "must be the app's signing secret").optional(),
  // Where Slack's Web API is (https://slack.com/api/); only tests change it.
  SLACK_API_URL: httpUrlWithPath(),
  // Stripe billing; unset means billing is off (self-hosted accounts are exempt).
  PAPERCUPS_STRIPE_SECRET: prefixed(["sk_", "rk_"], "a Stripe secret key"),
  REACT_APP_STRIPE_PUBLIC_KEY: prefixed(["pk_"], "a Stripe publishable key"),
});

export type Config = {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  /** Absolute path of the folder that holds the embedded database and dev secret. */
  dataDir: string;
  database:
    | { kind: "postgres"; url: string; ssl: boolean; poolSize: number }
    | { kind: "pglite"; dir: string };
  secretKeyBase: string;
  /** Public origin of this server, used in links (password reset, invitations). */
  backendUrl: string;
  /** Origin of the dashboard; same as backendUrl unless hosted apart. */
  appUrl: string;
  redisUrl: string | undefined;
  /** Proxies whose X-Forwarded-For names the client (TRUST_PROXY). */
  trustProxy: TrustProxy;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /**
   * Who may sign up (create a new account): anyone (`open`), anyone until the
   * first account exists (`first`), or nobody (`closed`). Invited people join
   * whatever it says.
   */
  registration: "open" | "first" | "closed";
  /** Widget calls per minute per IP and per account; upload volume (sizes in KiB). */
  rateLimits: {
    widgetPerIp: number;
    widgetPerAccount: number;
    apiKeyPerKey: number;
    uploadsPerUploader: number;
    uploadKibPerUploader: number;
    uploadKibPerAccount: number;
  };
  /** Hours after which an upload that no message carries is removed. */
  unattachedUploadTtlHours: number;
  /** Whether this process runs background jobs (it can always enqueue them). */
  runJobs: boolean;
  webhooks: {
    /** Deliver to private, loopback and link-local addresses too (docs/webhooks.md). */
    allowPrivateNetworks: boolean;
  };
  /** The AI assistant; `apiKey` undefined means auto-replies are off. */
  llm: {
    apiKey: string | undefined;
    baseUrl: string | undefined;
    model: string;
    maxTokens: number;
    temperature: number;
    timeoutMs: number;
    maxRetries: number;
    /** null: full-text search alone answers knowledge-base questions. */
    embeddingModel: string | null;
  };
  /** Outgoing email; null when SMTP_HOST is not set (emails then go to the log). */
  smtp: { host: string; port: number; username?: string; password?: string } | null;
  email: {
    /** The From of every email (SMTP_FROM, else `Netia <netia@<backend host>>`). */
    from: string;
    /** Domain of signed reply-to addresses; null: emails carry no reply address. */
    inboundDomain: string | null;
    /** Port of the inbound SMTP listener; null: no listener. */
    inboundSmtpPort: number | null;
    /** Key inbound-parse webhooks are verified with; null: the endpoint refuses all. */
    inboundSigningKey: string | null;
  };
  /** Gmail as a channel; null when GOOGLE_CLIENT_ID is not set. */
  google: {
    clientId: string;
    clientSecret: string;
    /** Base URL of Google's REST APIs (tests point it at a fake). */
    apiUrl: string | undefined;
    /** Base URL of Google's OAuth endpoints (tests point it at a fake). */
    oauthUrl: string | undefined;
  } | null;
  /** Slack; null when SLACK_CLIENT_ID is not set. */
  slack: {
    clientId: string;
    clientSecret: string;
    /** Verifies Events API and interactivity requests (v0 HMAC over the raw body). */
    signingSecret: string;
    /** Base URL of Slack's Web API, ending in a slash (tests point it at a fake). */
    apiUrl: string;
  } | null;
  /** Billing; null when PAPERCUPS_STRIPE_SECRET is not set. */
  stripe: { secretKey: string; publishableKey: string | undefined } | null;
};

/** Thrown when the environment is unusable; `problems` holds one line per variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

function sslRequested(url: string): boolean {
  const mode = new URL(url).searchParams.get("sslmode");
  return mode === "require" || mode === "verify-ca" || mode === "verify-full";
}

/**
 * Outside production a missing SECRET_KEY_BASE is generated once and kept in
 * the data folder, so sessions survive restarts without any set-up.
 */
function devSecret(dataDir: string): string {
  const file = join(dataDir, "secret_key_base");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = generateSecret();
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export function generateSecret(): string {
  return randomBytes(MIN_SECRET_BYTES).toString("base64url");
}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${String(i.path[0] ?? "environment")} ${i.message}`),
    );
  }
  const e = parsed.data;
  const env = e.NODE_ENV ?? (e.MIX_ENV === "prod" ? "production" : "development");
  const problems: string[] = [];
  const dataDir = resolve(e.NETIA_DATA_DIR);

  let secretKeyBase = e.SECRET_KEY_BASE;
  if (secretKeyBase !== undefined && Buffer.byteLength(secretKeyBase) < MIN_SECRET_BYTES) {
    problems.push(
      `SECRET_KEY_BASE must be at least ${MIN_SECRET_BYTES} bytes (got ${Buffer.byteLength(secretKeyBase)}); generate one with \`pnpm netia secret\``,
    );
  }
  if (!secretKeyBase) {
    if (env === "production") {
      problems.push(
        "SECRET_KEY_BASE is required in production; generate one with `pnpm netia secret`",
      );
    } else {
      secretKeyBase = devSecret(dataDir);
    }
  }
  if (e.SMTP_USERNAME && !e.SMTP_HOST) problems.push("SMTP_USERNAME is set but SMTP_HOST is not");
  if (!!e.GOOGLE_CLIENT_ID !== !!e.GOOGLE_CLIENT_SECRET) {
    problems.push("GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET must be set together");
  }
  const slackSet = [e.SLACK_CLIENT_ID, e.SLACK_CLIENT_SECRET, e.SLACK_SIGNING_SECRET].filter(
    Boolean,
  );
  if (slackSet.length > 0 && slackSet.length < 3) {
    problems.push(
      "SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET must be set together",
    );
  }
  if (e.REACT_APP_STRIPE_PUBLIC_KEY && !e.PAPERCUPS_STRIPE_SECRET) {
    problems.push("REACT_APP_STRIPE_PUBLIC_KEY is set but PAPERCUPS_STRIPE_SECRET is not");
  }
  if (problems.length) throw new ConfigError(problems);

  const backendUrl = e.BACKEND_URL ?? `http://localhost:${e.PORT}`;
  return {
    env,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database: e.DATABASE_URL
      ? {
          kind: "postgres",
          url: e.DATABASE_URL,
          ssl: e.REQUIRE_DB_SSL || sslRequested(e.DATABASE_URL),
          poolSize: e.POOL_SIZE,
        }
      : { kind: "pglite", dir: join(dataDir, "db") },
    secretKeyBase: secretKeyBase as string,
    backendUrl,
    appUrl: e.REACT_APP_URL ?? backendUrl,
    redisUrl: e.REDIS_TLS_URL ?? e.REDIS_URL,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    registration: e.NETIA_REGISTRATION ?? (e.PAPERCUPS_REGISTRATION_DISABLED ? "closed" : "first"),
    rateLimits: {
      widgetPerIp: e.WIDGET_RATE_LIMIT_PER_IP,
      widgetPerAccount: e.WIDGET_RATE_LIMIT_PER_ACCOUNT,
      apiKeyPerKey: e.API_KEY_RATE_LIMIT_PER_MINUTE,
      uploadsPerUploader: e.UPLOADS_PER_HOUR,
      uploadKibPerUploader: e.UPLOAD_MB_PER_HOUR * 1024,
      uploadKibPerAccount: e.UPLOAD_MB_PER_DAY_PER_ACCOUNT * 1024,
    },
    unattachedUploadTtlHours: e.UNATTACHED_UPLOAD_TTL_HOURS,
    runJobs: e.RUN_JOBS,
    webhooks: { allowPrivateNetworks: e.WEBHOOKS_ALLOW_PRIVATE_NETWORKS },
    llm: {
      apiKey: e.OPENAI_API_KEY || undefined,
      baseUrl: e.OPENAI_BASE_URL,
      model: e.LLM_MODEL,
      maxTokens: e.LLM_MAX_TOKENS,
      temperature: e.LLM_TEMPERATURE,
      timeoutMs: e.LLM_TIMEOUT * 1000,
      maxRetries: e.LLM_MAX_RETRIES,
      embeddingModel: e.LLM_EMBEDDING_MODEL === "off" ? null : e.LLM_EMBEDDING_MODEL,
    },
    smtp: e.SMTP_HOST
      ? {
          host: e.SMTP_HOST,
          port: e.SMTP_PORT,
          username: e.SMTP_USERNAME,
          password: e.SMTP_PASSWORD,
        }
      : null,
    email: {
      from: e.SMTP_FROM ?? `Netia <netia@${new URL(backendUrl).hostname}>`,
      inboundDomain: e.INBOUND_EMAIL_DOMAIN?.toLowerCase() ?? null,
      inboundSmtpPort: e.INBOUND_SMTP_PORT ?? null,
      inboundSigningKey: e.INBOUND_EMAIL_SIGNING_KEY ?? null,
    },
    google:
      e.GOOGLE_CLIENT_ID && e.GOOGLE_CLIENT_SECRET
        ? {
            clientId: e.GOOGLE_CLIENT_ID,
            clientSecret: e.GOOGLE_CLIENT_SECRET,
            apiUrl: e.GOOGLE_API_URL,
            oauthUrl: e.GOOGLE_OAUTH_URL,
          }
        : null,
    slack:
      e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_SIGNING_SECRET
        ? {
            clientId: e.SLACK_CLIENT_ID,
            clientSecret: e.SLACK_CLIENT_SECRET,
            signingSecret: e.SLACK_SIGNING_SECRET,
            apiUrl: `${e.SLACK_API_URL ?? "https://slack.com/api"}/`,
          }
        : null,
    stripe: e.PAPERCUPS_STRIPE_SECRET
      ? { secretKey: e.PAPERCUPS_STRIPE_SECRET, publishableKey: e.REACT_APP_STRIPE_PUBLIC_KEY }
      : null,
  };
}

/**
 * Whether browsers reach Netia over https (the public URLs say so; a TLS proxy
 * in front does not change them): cookies are then `Secure` and responses carry
 * HSTS. The one place this is decided.
 */
export function servedOverHttps(config: Pick<Config, "appUrl" | "backendUrl">): boolean {
  return config.appUrl.startsWith("https:") || config.backendUrl.startsWith("https:");
}
