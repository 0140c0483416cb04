// tRPC setup: context, the AppError -> tRPC code mapping, and the kinds of
// procedure (public, widget, agent, admin, and apiKey for those an API key may
// call). Routers stay thin: auth + zod here, logic in @netia/core.
import {
  type AgentSession,
  type ApiKeyGrant,
  type ApiKeyScope,
  type AppError,
  type AppErrorCode,
  assertOriginAllowed,
  getWidgetSession,
  isAppError,
  keyAllows,
  looksLikeApiKey,
  type WidgetSession,
} from "@netia/core";
import type { Runtime } from "@netia/runtime";
import { initTRPC, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import { ZodError } from "zod";
import { AgentAuthority, type AgentSocket } from "./authority";
import { MAX_SUBSCRIPTIONS_PER_SOCKET } from "./limits";
import { assertSameOrigin, isSameOrigin } from "./origin";

export type CreateContextOptions = {
  runtime: Runtime;
  /** Request headers: the session cookie for agents, the widget token for visitors. */
  headers: Headers;
  /** Response headers, where login and logout set cookies. */
  resHeaders: Headers;
  /**
   * The client's address as the server decided it (TRUST_PROXY; an IPv6
   * client's /64): what per-IP limits count.
   */
  ip?: string | null;
  /** Widget token passed as a websocket connection parameter. */
  widgetToken?: string | null;
  /** API key passed as a websocket connection parameter (over HTTP: `Authorization: Bearer`). */
  apiKey?: string | null;
  /** Correlates log lines of one request (X-Request-Id, set by the server). */
  requestId?: string | null;
  /** The websocket, for a connection's context: its authority is then kept current. */
  socket?: AgentSocket;
};

export function createContext(opts: CreateContextOptions) {
  const { runtime, socket } = opts;
  // A page on another site may open a websocket here too, and the browser sends
  // the cookie with it: such a socket gets no agent session from that cookie.
  const headers =
    socket && !isSameOrigin(opts.headers, runtime.config.appUrl)
      ? withoutCookie(opts.headers)
      : opts.headers;
  // A bearer token is an API key or a widget token; keys carry a mark of their own.
  const bearer = bearerToken(opts.headers.get("authorization"));
  const apiKey = opts.apiKey ?? (bearer && looksLikeApiKey(bearer) ? bearer : null);
  return {
    rt: runtime,
    db: runtime.db,
    headers,
    resHeaders: opts.resHeaders,
    ip: opts.ip ?? null,
    requestId: opts.requestId ?? opts.headers.get("x-request-id"),
    widgetToken:
      opts.widgetToken ??
      opts.headers.get("x-netia-widget-token") ??
      (bearer && !looksLikeApiKey(bearer) ? bearer : null),
    /** Set when the caller authenticates with an API key; its session cookie is then ignored. */
    apiKey,
    /** The agent calling: read once per HTTP request, kept current on a websocket. */
    authority: new AgentAuthority(runtime, headers, socket, apiKey),
    /** The widget session, looked up once per context. */
    sessions: {} as { widget?: Promise<WidgetSession | null> },
    /** Live subscriptions open on this websocket (absent over HTTP). */
    subscriptions: socket ? { open: 0 } : undefined,
  };
}

function withoutCookie(headers: Headers): Headers {
  const copy = new Headers(headers);
  copy.delete("cookie");
  return copy;
}

export type Context = ReturnType<typeof createContext>;

/** A zod failure as one readable line: the first problem, and how many more. */
export function inputProblem(error: Pick<ZodError, "issues">): string {
  const [first, ...rest] = error.issues;
  if (!first) return "Invalid input";
  const path = first.path.map(String).join(".");
  const more = rest.length ? ` (and ${rest.length} more problem${rest.length > 1 ? "s" : ""})` : "";
  return `${path ? `${path}: ` : ""}${first.message}${more}`;
}

/** Messages per input field, keyed by its dotted path ("settings.primaryColor"). */
function fieldErrors(error: ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join(".") || "(input)";
    out[path] = [...(out[path] ?? []), issue.message];
  }
  return out;
}

function bearerToken(header: string | null): string | null {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1] ?? null;
}

const codeFor: Record<AppErrorCode, TRPCError["code"]> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
};

/**
 * What a procedure declares about itself. `apiKey`: the scope an API key needs
 * to call it; a procedure without one refuses keys (see apiKeyProcedure).
 * `openapi`: its REST route, for those served under /api/v1 (rest.ts).
 */
export type ProcedureMeta = OpenApiMeta<{ apiKey?: ApiKeyScope }>;

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    errorFormatter({ shape, error }) {
      const internal = error.code === "INTERNAL_SERVER_ERROR";
      return {
        ...shape,
        // Users get a clear message for their mistakes and a plain one for ours.
        message: internal
          ? "Something went wrong on our side; please try again"
          : error.cause instanceof ZodError
            ? inputProblem(error.cause)
            : shape.message,
        data: {
          ...shape.data,
          stack: undefined,
          fieldErrors: error.cause instanceof ZodError ? fieldErrors(error.cause) : undefined,
          // Seconds until a rate-limited call may succeed; over HTTP also the Retry-After header.
          retryAfter: isAppError(error.cause) ? error.cause.retryAfterSeconds : undefined,
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

function fromAppError(error: AppError): TRPCError {
  return new TRPCError({ code: codeFor[error.code], message: error.message, cause: error });
}

/**
 * For subscriptions, whose generators run after the middleware has returned:
 * an AppError becomes its tRPC error where it can occur (not per event).
 */
export function asTRPCError(error: unknown): unknown {
  return isAppError(error) ? fromAppError(error) : error;
}

/** The conversation a call concerns, if its input names one: for `conversation:<id>` log tags. */
async function conversationOfInput(path: string, getRawInput: () => Promise<unknown>) {
  const input = await getRawInput().catch(() => undefined);
  if (!input || typeof input !== "object") return undefined;
  const record = input as Record<string, unknown>;
  const id = record.conversationId ?? (path.startsWith("conversations.") ? record.id : undefined);
  return typeof id === "string" && id.length <= 64 ? id : undefined;
}

/** Maps AppError to its tRPC code and logs unexpected failures once. */
const errors = t.middleware(async ({ ctx, next, path, type, getRawInput }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (isAppError(cause)) {
      if (cause.retryAfterSeconds !== undefined) {
        ctx.resHeaders.set("retry-after", String(cause.retryAfterSeconds));
      }
      throw fromAppError(cause);
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") {
      const conversationId = await conversationOfInput(path, getRawInput);
      ctx.rt.logger.error(
        { err: cause ?? result.error, path, type, reqId: ctx.requestId },
        `procedure ${path} failed${conversationId ? ` conversation:${conversationId}` : ""}`,
      );
    }
  }
  return result;
});

/**
 * Caps the subscriptions one websocket holds: each holds bus listeners and
 * presence, so a client must not open them by the thousand.
 */
const subscriptionLimit = t.middleware(async ({ ctx, type, next }) => {
  const count = ctx.subscriptions;
  if (type !== "subscription" || !count) return next();
  if (count.open >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
    throw new TRPCError({
      code: "TOO_MANY_REQUESTS",
      message: `A connection may hold at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions; stop one first`,
    });
  }
  count.open++;
  let released = false;
  const release = () => {
    if (!released) count.open--;
    released = true;
  };
  const result = await next();
  if (!result.ok || !isAsyncIterable(result.data)) {
    release();
    return result;
  }
  return { ...result, data: counted(result.data, release) };
});

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

/**
 * `iterable`, calling `release` once when it ends (done, failed or stopped).
 * A plain iterator rather than an async generator: every event of every
 * subscription passes through here, and a generator adds promise hops to each.
 */
function counted<T>(iterable: AsyncIterable<T>, release: () => void): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const inner = iterable[Symbol.asyncIterator]();
      const settle = (result: IteratorResult<T>) => {
        if (result.done) release();
        return result;
      };
      const fail = (error: unknown): never => {
        release();
        throw error;
      };
      return {
        next: () => inner.next().then(settle, fail),
        return: (value?: unknown) => {
          release();
          return inner.return
            ? inner.return(value).then(settle, fail)
            : Promise.resolve({ done: true as const, value: undefined });
        },
        throw: (error?: unknown) => {
          release();
          return inner.throw ? inner.throw(error).then(settle, fail) : Promise.reject(error);
        },
      };
    },
  };
}

export const publicProcedure = t.procedure.use(errors).use(subscriptionLimit);

/**
 * Writes that a session cookie authenticates must come from Netia's own pages
 * (origin.ts). A call with an API key reads no cookie, so it may come from anywhere.
 */
const sameOriginWrites = t.middleware(({ ctx, type, next }) => {
  if (type === "mutation" && !ctx.apiKey) assertSameOrigin(ctx.headers, ctx.rt.config.appUrl);
  return next();
});

/** Procedures whose caller a session cookie identifies, or that set one (auth.*). */
export const cookieProcedure = publicProcedure.use(sameOriginWrites);

function unauthenticated(ctx: Context): TRPCError {
  return new TRPCError({
    code: "UNAUTHORIZED",
    message: ctx.apiKey
      ? "This API key is not valid: unknown, expired or revoked"
      : "Log in to continue",
  });
}

/**
 * A call made with an API key: allowed only into procedures that declare the
 * scope a key needs (apiKeyProcedure), with that scope, within the key's rate limit.
 */
async function guardKeyCall(
  ctx: Context,
  agent: AgentSession,
  grant: ApiKeyGrant,
  path: string,
  scope: ApiKeyScope | undefined,
) {
  if (!scope) {
    throw new TRPCError({ code: "FORBIDDEN", message: `API keys cannot call ${path}` });
  }
  if (!keyAllows(agent, grant, scope)) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: `This API key lacks the ${scope} scope that ${path} needs`,
    });
  }
  await ctx.rt.limits.consume("apiKeyPerKey", grant.id);
}

export const agentProcedure = cookieProcedure.use(async ({ ctx, meta, path, next }) => {
  const agent = await ctx.authority.current();
  if (!agent) throw unauthenticated(ctx);
  if (agent.apiKey) await guardKeyCall(ctx, agent, agent.apiKey, path, meta?.apiKey);
  return next({ ctx: { ...ctx, agent } });
});

/**
 * A procedure that API keys with `scope` may call, as well as signed-in
 * agents: the only way a key gets in. An admin-scoped key also needs its owner
 * to be an admin.
 */
export const apiKeyProcedure = (scope: ApiKeyScope) => agentProcedure.meta({ apiKey: scope });

/** Checks the caller's role as it is now, not as it was when their socket opened. */
export const adminProcedure = agentProcedure.use(async ({ ctx, next }) => {
  const agent = await ctx.authority.fresh();
  if (!agent) throw unauthenticated(ctx);
  if (agent.role !== "admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only an admin can do this" });
  }
  return next({ ctx: { ...ctx, agent } });
});

/**
 * The public widget surface is rate limited per IP, then per account: one after
 * the other, so that calls an IP is refused never eat the account's allowance
 * (one noisy address must not lock out every visitor of the account).
 */
async function limitWidget(rt: Runtime, ip: string | null, accountId: string | undefined) {
  await rt.limits.consume("widgetPerIp", ip ?? "unknown");
  if (accountId) await rt.limits.consume("widgetPerAccount", accountId);
}

/**
 * What every call made with a widget session passes, over tRPC or plain HTTP:
 * the widget's rate limits and the inbox's allowed origins.
 */
export async function guardWidgetCall(
  rt: Runtime,
  widget: WidgetSession,
  request: { ip: string | null; origin: string | null },
) {
  await limitWidget(rt, request.ip, widget.accountId);
  await assertOriginAllowed(rt.db, {
    accountId: widget.accountId,
    inboxId: widget.inboxId,
    origin: request.origin,
  });
}

/** Widget calls before a session exists (config, identify): limited by the account token. */
export const widgetPublicProcedure = publicProcedure.use(async ({ ctx, next, getRawInput }) => {
  const input = (await getRawInput().catch(() => undefined)) as
    | { accountToken?: unknown }
    | undefined;
  const token =
    typeof input?.accountToken === "string" ? input.accountToken.slice(0, 64) : undefined;
  await limitWidget(ctx.rt, ctx.ip, token);
  return next();
});

export const widgetProcedure = publicProcedure.use(async ({ ctx, next }) => {
  ctx.sessions.widget ??= ctx.widgetToken
    ? getWidgetSession(ctx.db, ctx.widgetToken)
    : Promise.resolve(null);
  const widget = await ctx.sessions.widget;
  if (!widget) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "The chat session expired; reload" });
  }
  await guardWidgetCall(ctx.rt, widget, { ip: ctx.ip, origin: ctx.headers.get("origin") });
  return next({ ctx: { ...ctx, widget } });
});
