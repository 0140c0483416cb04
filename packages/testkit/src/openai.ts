// A fake OpenAI API on a local port, for tests and benchmarks: a real HTTP
// server that speaks enough of OpenAI's REST protocol for the official
// `openai` SDK to run against it unchanged (`new OpenAI({ baseURL: fake.url })`).
// Tests need no network and no key, and a fake at the protocol level tests
// the SDK's own parsing, retries and timeouts along with Netia's code.
// A leaf module: it imports nothing from the workspace.
//
//   const fake = await startFakeOpenAI({ apiKey: "sk-test" });
//   const client = new OpenAI({ apiKey: "sk-test", baseURL: fake.url }); // url ends in /v1
//   fake.onChat((body) => ({ content: "Hi!" }));       // decide every chat answer
//   fake.scriptChat({ status: 429, retryAfterSeconds: 0 }, { content: "Hi!" }); // the next ones
//   fake.requests;                                     // every request received
//   await fake.close();                                // also cuts stalled requests
//
// Endpoints:
// - POST /v1/chat/completions: a `chat.completion`, or with `stream: true` a
//   `text/event-stream` of `chat.completion.chunk`s ending in `data: [DONE]`;
//   usage in both (in streams when `stream_options.include_usage` is set: a
//   last chunk with `usage` and no choices). ~4 characters per token.
// - POST /v1/embeddings: deterministic unit vectors from a hashed bag of word
//   stems (see ./openai/embedding.ts), `dimensions` honoured (default 256),
//   floats or base64 as `encoding_format` asks.
// - GET /v1/models, GET /v1/models/:id: the default models and those used.
//
// A chat reply (from `scriptChat`, else `onChat`, else the echo of the last
// user message) is one of:
// - an answer: `{ content }`, `{ chunks }` (the streamed pieces), `{ toolCalls }`,
//   with optional `finishReason`, `delayMs`, `chunkDelayMs`, `dropAfterChunks`;
// - a failure: `{ status, message?, type?, code?, retryAfterSeconds?, delayMs? }`;
// - `{ stall: true }`: the request is accepted and never answered, until the
//   client gives up or the fake closes.
// Embeddings replies (`scriptEmbeddings`, `onEmbeddings`) are the same
// failures and stalls, or `{ delayMs }` / nothing for the computed answer.
// With `{ apiKey }`, a request without `Authorization: Bearer <apiKey>` gets 401.
//
// As a command, it serves until Ctrl-C (for trying a client by hand or for benchmarks):
//   node --import tsx packages/testkit/src/openai.ts [--port 8787] [--api-key sk-…]
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  type ChatBody,
  completionObject,
  echoAnswer,
  estimateTokens,
  type FakeChatAnswer,
  resolveAnswer,
  streamChunks,
} from "./openai/chat";
import { defaultEmbeddingDimensions, embed, toBase64 } from "./openai/embedding";
import { errorBody, type FakeErrorReply, HttpFailure } from "./openai/errors";
import {
  type EmbeddingsBody,
  readJson,
  requireBody,
  validateChat,
  validateEmbeddings,
} from "./openai/requests";

export type { ChatBody, ChatMessage, FakeChatAnswer, FakeToolCall } from "./openai/chat";
export { lastUserText, messageText } from "./openai/chat";
export { cosine, embed, stems } from "./openai/embedding";
export type { FakeErrorReply } from "./openai/errors";
export type { EmbeddingsBody } from "./openai/requests";

export type FakeStallReply = { stall: true };
export type FakeChatReply = FakeChatAnswer | FakeErrorReply | FakeStallReply;
export type FakeEmbeddingsReply =
  | { delayMs?: number }
  | FakeErrorReply
  | FakeStallReply
  | undefined;

export type RecordedRequest = {
  method: string;
  /** Without the query string, e.g. "/v1/chat/completions". */
  path: string;
  /** The parsed JSON body; undefined for a request without one (or not JSON). */
  body: Record<string, unknown> | undefined;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** When it arrived (Date.now()). */
  at: number;
};

/** One request being answered: what came in, where the answer goes, and whether the client is still there. */
type Exchange = {
  request: RecordedRequest;
  response: ServerResponse;
  /** Aborted when the client goes away before the answer is complete (a timeout, an abort). */
  signal: AbortSignal;
  /** Counts requests from 1; names the completion and the `x-request-id`. */
  number: number;
};

type Handler<Body, Reply> = (body: Body, request: RecordedRequest) => Reply | Promise<Reply>;

export type FakeOpenAI = {
  /** The base URL for the SDK, "http://127.0.0.1:PORT/v1". */
  url: string;
  /** Every request received, in order, the refused ones included. */
  requests: RecordedRequest[];
  /** The bodies of the chat completion requests that passed validation, in order. */
  chats: ChatBody[];
  /** Decides the answer to each chat completion that no script covers. */
  onChat(handler: Handler<ChatBody, FakeChatReply>): void;
  /** The next chat completions get these replies, one each, before `onChat` is asked again. */
  scriptChat(...replies: FakeChatReply[]): void;
  onEmbeddings(handler: Handler<EmbeddingsBody, FakeEmbeddingsReply>): void;
  scriptEmbeddings(...replies: Exclude<FakeEmbeddingsReply, undefined>[]): void;
  /** Forgets requests, scripts and handlers, for a fake shared by several tests. */
  reset(): void;
  /** Stops listening and cuts every open connection, stalled requests included. */
  close(): Promise<void>;
};

export type FakeOpenAIOptions = {
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Listed by GET /v1/models besides the models requests used. */
  models?: string[];
  /** 0 (the default) picks a free port. */
  port?: number;
};

function isFailure(reply: object): reply is FakeErrorReply {
  return "status" in reply && typeof reply.status === "number";
}

function isStall(reply: object): reply is FakeStallReply {
  return "stall" in reply && reply.stall === true;
}

/** Resolves after `ms`, or at once (with false) when the client has gone. */
function wait(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = [];
  const chats: ChatBody[] = [];
  const models = new Set(options.models ?? ["gpt-4o-mini", "text-embedding-3-small"]);
  let chatHandler: Handler<ChatBody, FakeChatReply> | undefined;
  let embeddingsHandler: Handler<EmbeddingsBody, FakeEmbeddingsReply> | undefined;
  let chatScript: FakeChatReply[] = [];
  let embeddingsScript: Exclude<FakeEmbeddingsReply, undefined>[] = [];
  let received = 0;
  const sockets = new Set<Socket>();

  function send(response: ServerResponse, status: number, body: unknown, headers = {}): void {
    if (response.destroyed) return;
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(JSON.stringify(body));
  }

  async function fail({ response, signal }: Exchange, failure: HttpFailure) {
    if (!(await wait(failure.reply.delayMs ?? 0, signal))) return;
    const headers: Record<string, string> = {};
    if (failure.reply.retryAfterSeconds !== undefined) {
      headers["retry-after"] = String(failure.reply.retryAfterSeconds);
    }
    send(response, failure.reply.status, errorBody(failure.reply, failure.param), headers);
  }

  /** Applies the parts every reply shares: a stall, a failure. Returns the answer to send, if any. */
  function settle<Reply extends object>(reply: Reply | FakeErrorReply | FakeStallReply) {
    if (isStall(reply)) return "stall" as const;
    if (isFailure(reply)) throw new HttpFailure(reply);
    return reply as Reply;
  }

  async function chat(body: ChatBody, { request, response, signal, number }: Exchange) {
    const reply =
      chatScript.shift() ?? (chatHandler ? await chatHandler(body, request) : echoAnswer(body));
    const answer = settle<FakeChatAnswer>(reply);
    if (answer === "stall") return;
    if (!(await wait(answer.delayMs ?? 0, signal))) return;
    const id = `chatcmpl-fake${number}`;
    const envelope = { id, model: body.model, created: Math.floor(Date.now() / 1000) };
    const resolved = resolveAnswer(answer, body, id);
    if (!body.stream) {
      send(response, 200, completionObject(resolved, envelope), {
        "x-request-id": `req_${number}`,
      });
      return;
    }
    if (response.destroyed) return;
    response.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-request-id": `req_${number}`,
    });
    const chunks = streamChunks(resolved, envelope, body.stream_options?.include_usage === true);
    for (const [i, chunk] of chunks.entries()) {
      if (answer.dropAfterChunks !== undefined && i >= answer.dropAfterChunks) {
        response.socket?.destroy();
        return;
      }
      if (i > 0 && !(await wait(answer.chunkDelayMs ?? 0, signal))) return;
      if (response.destroyed) return;
      // Each chunk is on the wire before the next step, so a drop loses only what follows it.
      await new Promise((written) => response.write(`data: ${JSON.stringify(chunk)}\n\n`, written));
    }
    response.end("data: [DONE]\n\n");
  }

  async function embeddings(body: EmbeddingsBody, { request, response, signal, number }: Exchange) {
    const reply =
      embeddingsScript.shift() ?? (embeddingsHandler ? await embeddingsHandler(body, request) : {});
    const answer = settle<{ delayMs?: number }>(reply ?? {});
    if (answer === "stall") return;
    if (!(await wait(answer.delayMs ?? 0, signal))) return;
    const texts = typeof body.input === "string" ? [body.input] : body.input;
    const dimensions = body.dimensions ?? defaultEmbeddingDimensions;
    const tokens = texts.reduce((sum, text) => sum + estimateTokens(text), 0);
    send(
      response,
      200,
      {
        object: "list",
        model: body.model,
        data: texts.map((text, index) => {
          const vector = embed(text, dimensions);
          return {
            object: "embedding",
            index,
            embedding: body.encoding_format === "base64" ? toBase64(vector) : vector,
          };
        }),
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      },
      { "x-request-id": `req_${number}` },
    );
  }

  function modelObject(id: string) {
    return { id, object: "model", created: 0, owned_by: "system" };
  }

  function checkKey(request: RecordedRequest): void {
    if (options.apiKey === undefined) return;
    const header = request.headers.authorization;
    if (header === `Bearer ${options.apiKey}`) return;
    throw new HttpFailure({
      status: 401,
      message: header
        ? "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys."
        : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      code: header ? "invalid_api_key" : null,
    });
  }

  async function route(exchange: Exchange): Promise<void> {
    const { request, response } = exchange;
    checkKey(request);
    const { method, path } = request;
    if (method === "POST" && path === "/v1/chat/completions") {
      const body = validateChat(requireBody(request.body));
      models.add(body.model);
      chats.push(body);
      return chat(body, exchange);
    }
    if (method === "POST" && path === "/v1/embeddings") {
      const body = validateEmbeddings(requireBody(request.body));
      models.add(body.model);
      return embeddings(body, exchange);
    }
    if (method === "GET" && path === "/v1/models") {
      return send(response, 200, { object: "list", data: [...models].map(modelObject) });
    }
    const model = method === "GET" ? /^\/v1\/models\/([^/]+)$/.exec(path)?.[1] : undefined;
    if (model !== undefined) {
      const id = decodeURIComponent(model);
      if (models.has(id)) return send(response, 200, modelObject(id));
      throw new HttpFailure({
        status: 404,
        message: `The model '${id}' does not exist`,
        code: "model_not_found",
      });
    }
    throw new HttpFailure({ status: 404, message: `Invalid URL (${method} ${path})` });
  }

  const server = createServer(async (incoming, response) => {
    const number = ++received;
    const client = new AbortController();
    response.once("close", () => {
      if (!response.writableFinished) client.abort();
    });
    const request: RecordedRequest = {
      method: incoming.method ?? "GET",
      path: (incoming.url ?? "/").split("?")[0] ?? "/",
      body: await readJson(incoming),
      headers: Object.fromEntries(
        Object.entries(incoming.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(", ") : (value ?? ""),
        ]),
      ),
      at: Date.now(),
    };
    requests.push(request);
    const exchange = { request, response, signal: client.signal, number };
    try {
      await route(exchange);
    } catch (error) {
      const failure =
        error instanceof HttpFailure
          ? error
          : new HttpFailure({
              status: 500,
              message: `The fake OpenAI server's handler threw: ${String(error)}`,
            });
      await fail(exchange, failure);
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    chats,
    onChat(handler) {
      chatHandler = handler;
    },
    scriptChat(...replies) {
      chatScript.push(...replies);
    },
    onEmbeddings(handler) {
      embeddingsHandler = handler;
    },
    scriptEmbeddings(...replies) {
      embeddingsScript.push(...replies);
    },
    reset() {
      requests.length = 0;
      chats.length = 0;
      chatScript = [];
      embeddingsScript = [];
      chatHandler = undefined;
      embeddingsHandler = undefined;
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

if (
  process.argv[1] !== undefined &&
  resolvePath(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  const { values } = parseArgs({
    options: { port: { type: "string", default: "8787" }, "api-key": { type: "string" } },
  });
  const fake = await startFakeOpenAI({ port: Number(values.port), apiKey: values["api-key"] });
  console.log(`Fake OpenAI API at ${fake.url} (Ctrl-C to stop)`);
  process.once("SIGINT", () => void fake.close().then(() => process.exit(0)));
}
