// Error bodies in OpenAI's shape, `{ error: { message, type, param, code } }`,
// which the SDK turns into its typed errors (RateLimitError, InternalServerError…).

export type OpenAIErrorBody = {
  error: { message: string; type: string; param: string | null; code: string | null };
};

/** What a scripted failure may say; anything left out gets OpenAI's usual wording for the status. */
export type FakeErrorReply = {
  status: number;
  message?: string;
  type?: string;
  code?: string | null;
  /** Sent as the `Retry-After` header (the SDK waits that long before retrying, up to 60 s). */
  retryAfterSeconds?: number;
  /** Waits this long before answering. */
  delayMs?: number;
};

const defaults: Record<number, { message: string; type: string; code: string | null }> = {
  400: { message: "Invalid request.", type: "invalid_request_error", code: null },
  401: {
    message: "Incorrect API key provided.",
    type: "invalid_request_error",
    code: "invalid_api_key",
  },
  403: { message: "Access denied.", type: "invalid_request_error", code: "unsupported_country" },
  404: { message: "Not found.", type: "invalid_request_error", code: null },
  429: {
    message: "Rate limit reached for requests. Please try again later.",
    type: "requests",
    code: "rate_limit_exceeded",
  },
  500: {
    message: "The server had an error while processing your request. Sorry about that!",
    type: "server_error",
    code: null,
  },
  503: {
    message: "The engine is currently overloaded, please try again later.",
    type: "server_error",
    code: null,
  },
};

export function errorBody(reply: FakeErrorReply, param: string | null = null): OpenAIErrorBody {
  const fallback = defaults[reply.status] ??
    defaults[reply.status >= 500 ? 500 : 400] ?? {
      message: "Error.",
      type: "invalid_request_error",
      code: null,
    };
  return {
    error: {
      message: reply.message ?? fallback.message,
      type: reply.type ?? fallback.type,
      param,
      code: reply.code === undefined ? fallback.code : reply.code,
    },
  };
}

/** Thrown while answering a request; sent as the error it describes. */
export class HttpFailure extends Error {
  constructor(
    readonly reply: FakeErrorReply,
    readonly param: string | null = null,
  ) {
    super(reply.message);
  }
}
