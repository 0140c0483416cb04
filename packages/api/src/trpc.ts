// tRPC setup: context, the AppError -> tRPC code mapping, and the four kinds of
// procedure (public, widget, agent, admin). Routers stay thin: auth + zod here,
// logic in @netia/core.
import {
  type AgentSession,
  type AppError,
  type AppErrorCode,
  assertOriginAllowed,
  getAgentSession,
  getWidgetSession,
  isAppError,
  type WidgetSession,
} from "@netia/core";
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import type { Runtime } from "./runtime";

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
  /** Correlates log lines of one request (X-Request-Id, set by the server). */
  requestId?: string | null;
};

export function createContext(opts: CreateContextOptions) {
  return {
    rt: opts.runtime,
    db: opts.runtime.db,
    headers: opts.headers,
    resHeaders: opts.resHeaders,
    ip: opts.ip ?? null,
    requestId: opts.requestId ?? opts.headers.get("x-request-id"),
    widgetToken:
      opts.widgetToken ??
      opts.headers.get("x-netia-widget-token") ??
      bearerToken(opts.headers.get("authorization")),
    /**
     * Who is calling, looked up once per context: once per HTTP request, and
     * once per websocket connection (authenticated when it opens).
     */
    sessions: {} as {
      agent?: Promise<AgentSession | null>;
      widget?: Promise<WidgetSession | null>;
    },
  };
}

export type Context = ReturnType<typeof createContext>;

/** A zod failure as one readable line: the first problem, and how many more. */
function inputProblem(error: ZodError): string {
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

const t = initTRPC.context<Context>().create({
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

export const publicProcedure = t.procedure.use(errors);

export const agentProcedure = publicProcedure.use(async ({ ctx, next }) => {
  ctx.sessions.agent ??= getAgentSession(ctx.db, ctx.rt.auth, ctx.headers);
  const agent = await ctx.sessions.agent;
  if (!agent) throw new TRPCError({ code: "UNAUTHORIZED", message: "Log in to continue" });
  return next({ ctx: { ...ctx, agent } });
});

export const adminProcedure = agentProcedure.use(({ ctx, next }) => {
  if (ctx.agent.role !== "admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only an admin can do this" });
  }
  return next();
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
