// The fake OpenAI server, driven by the official SDK over HTTP: what these
// tests accept is what Netia's AI code will see from the SDK in its own tests.
import OpenAI, { type APIError } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { cosine, type FakeOpenAI, startFakeOpenAI, stems } from "./openai";

const apiKey = "sk-test-key";
let fake: FakeOpenAI;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey });
  client = new OpenAI({ apiKey, baseURL: fake.url, maxRetries: 0 });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const question = [
  { role: "system" as const, content: "You answer for Acme." },
  { role: "user" as const, content: "Where is my order?" },
];
const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  },
};

describe("chat completions", () => {
  it("answers in JSON with usage, echoing the last user message by default", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: question,
    });
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("gpt-4o-mini");
    expect(completion.choices[0]?.message).toMatchObject({
      role: "assistant",
      content: "Echo: Where is my order?",
    });
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    // ~4 characters a token: the two messages joined by a newline are 39 characters.
    expect(completion.usage).toEqual({ prompt_tokens: 10, completion_tokens: 6, total_tokens: 16 });
    expect(fake.chats).toEqual([{ model: "gpt-4o-mini", messages: question }]);
    expect(fake.requests[0]).toMatchObject({ method: "POST", path: "/v1/chat/completions" });
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
  });

  it("answers what the handler decides, given the request body", async () => {
    fake.onChat((body) => ({ content: `${body.messages.length} messages to ${body.model}` }));
    const completion = await client.chat.completions.create({ model: "m-1", messages: question });
    expect(completion.choices[0]?.message.content).toBe("2 messages to m-1");
  });

  it("streams server-sent events that the SDK assembles, usage last when asked for", async () => {
    fake.scriptChat({ chunks: ["Your order ", "ships ", "today."], chunkDelayMs: 5 });
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: question,
      stream: true,
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    const chunks = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      const content = chunk.choices[0]?.delta.content;
      if (content) deltas.push(content);
    }
    expect(deltas).toEqual(["Your order ", "ships ", "today."]);
    expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("stop");
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual({ prompt_tokens: 10, completion_tokens: 6, total_tokens: 16 });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it("streams without a usage chunk unless include_usage is set", async () => {
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: question,
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((chunk) => chunk.choices.length === 1 && !("usage" in chunk))).toBe(true);
    // The default answer streams word by word.
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "")).toEqual([
      "",
      "Echo: ",
      "Where ",
      "is ",
      "my ",
      "order?",
      "",
    ]);
  });

  it("returns tool calls that the SDK parses", async () => {
    fake.scriptChat({
      toolCalls: [
        { name: "get_weather", arguments: { city: "Paris" } },
        { name: "get_weather", arguments: { city: "Köln" }, id: "call_own" },
      ],
    });
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: question,
      tools: [weatherTool],
    });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBeNull();
    const calls = choice?.message.tool_calls ?? [];
    expect(calls.map((call) => call.type === "function" && call.function.name)).toEqual([
      "get_weather",
      "get_weather",
    ]);
    expect(
      calls.map((call) => call.type === "function" && JSON.parse(call.function.arguments)),
    ).toEqual([{ city: "Paris" }, { city: "Köln" }]);
    expect(calls[0]?.id).toMatch(/^call_/);
    expect(calls[1]?.id).toBe("call_own");
    expect(fake.chats[0]?.tools).toEqual([weatherTool]);
  });

  it("streams tool calls the way OpenAI does, which the SDK's stream helper assembles", async () => {
    const args = { city: "Paris", days: 3, units: "metric" };
    fake.scriptChat({ toolCalls: [{ name: "get_weather", arguments: args }] });
    const stream = client.chat.completions.stream({
      model: "gpt-4o-mini",
      messages: question,
      tools: [weatherTool],
    });
    const toolDeltas = [];
    for await (const chunk of stream)
      toolDeltas.push(...(chunk.choices[0]?.delta.tool_calls ?? []));
    const completion = await stream.finalChatCompletion();

    const [opening, ...pieces] = toolDeltas;
    expect(opening).toMatchObject({
      index: 0,
      type: "function",
      function: { name: "get_weather", arguments: "" },
    });
    expect(opening?.id).toMatch(/^call_/);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(Object.keys(piece).sort()).toEqual(["function", "index"]);
      expect(Object.keys(piece.function ?? {})).toEqual(["arguments"]);
    }
    const call = completion.choices[0]?.message.tool_calls?.[0];
    expect(completion.choices[0]?.finish_reason).toBe("tool_calls");
    expect(call?.type === "function" && JSON.parse(call.function.arguments)).toEqual(args);
  });

  it("cuts a stream off when told to, which the SDK reports as an error", async () => {
    fake.scriptChat({ content: "one two three four", dropAfterChunks: 2 });
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: question,
      stream: true,
    });
    const received: string[] = [];
    await expect(async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? "");
    }).rejects.toThrow();
    expect(received).toEqual(["", "one "]);
  });

  it("refuses a request without messages as OpenAI does", async () => {
    const error = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, param: "messages" });
    expect(fake.chats).toEqual([]);
  });
});

describe("failures", () => {
  it("retries a 429 after its Retry-After, then succeeds", async () => {
    fake.scriptChat({ status: 429, retryAfterSeconds: 0 }, { content: "Thanks for waiting." });
    const patient = new OpenAI({ apiKey, baseURL: fake.url, maxRetries: 2 });
    const completion = await patient.chat.completions.create({
      model: "gpt-4o-mini",
      messages: question,
    });
    expect(completion.choices[0]?.message.content).toBe("Thanks for waiting.");
    expect(fake.requests.map((request) => request.headers["x-stainless-retry-count"])).toEqual([
      "0",
      "1",
    ]);
  });

  it("surfaces a 429 as RateLimitError in OpenAI's error shape", async () => {
    fake.scriptChat({ status: 429, retryAfterSeconds: 20 });
    const error = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: question })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toMatchObject({ status: 429, type: "requests", code: "rate_limit_exceeded" });
    expect((error as APIError).headers?.get("retry-after")).toBe("20");
  });

  it("surfaces a 500 as APIError with status 500 when retries are off", async () => {
    fake.scriptChat({ status: 500 });
    const error = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: question })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ status: 500, type: "server_error" });
    expect(fake.requests).toHaveLength(1);
  });

  it("answers 500 with the reason when a handler throws", async () => {
    fake.onChat(() => {
      throw new Error("no answer for this");
    });
    const error = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: question })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500 });
    expect((error as Error).message).toContain("no answer for this");
  });

  it("lets the SDK's timeout abort a stalled request", async () => {
    fake.scriptChat({ stall: true });
    const error = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: question }, { timeout: 200 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
  });

  it("lets the SDK's timeout abort an answer slower than it", async () => {
    fake.scriptChat({ content: "too late", delayMs: 60_000 });
    const error = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: question }, { timeout: 200 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
  });

  it("closes with a request still stalled, cutting it off", async () => {
    const own = await startFakeOpenAI();
    own.scriptChat({ stall: true });
    const patient = new OpenAI({ apiKey, baseURL: own.url, maxRetries: 0, timeout: 600_000 });
    const pending = patient.chat.completions
      .create({ model: "gpt-4o-mini", messages: question })
      .catch((e: unknown) => e);
    await vi.waitFor(() => expect(own.requests).toHaveLength(1));
    // A server.close() that waited for open requests would never return here.
    await own.close();
    expect(await pending).toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it("refuses a wrong API key with 401", async () => {
    const intruder = new OpenAI({ apiKey: "sk-wrong", baseURL: fake.url, maxRetries: 0 });
    const error = await intruder.models.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: "invalid_api_key" });
  });

  it("refuses a request without an API key with 401 in OpenAI's shape", async () => {
    const response = await fetch(`${fake.url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: question }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(Object.keys(body.error).sort()).toEqual(["code", "message", "param", "type"]);
    expect(body.error.type).toBe("invalid_request_error");
  });

  it("answers an unknown path with 404 in OpenAI's shape", async () => {
    const response = await fetch(`${fake.url}/assistants`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      error: { message: "Invalid URL (GET /v1/assistants)", type: "invalid_request_error" },
    });
  });
});

describe("embeddings", () => {
  const refundQuestion = "How do I get a refund for my order?";
  const refundPolicy = "Refunds for orders are issued within five days.";
  const office = "Our office in Berlin opens at nine.";

  it("returns one unit vector per input, 256 long unless dimensions says otherwise", async () => {
    const result = await client.embeddings.create({
      model: "text-embedding-3-small",
      input: [refundQuestion, office],
      encoding_format: "float",
    });
    expect(result.object).toBe("list");
    expect(result.data.map((item) => item.index)).toEqual([0, 1]);
    for (const item of result.data) {
      expect(item.embedding).toHaveLength(256);
      expect(Math.hypot(...item.embedding)).toBeCloseTo(1, 6);
    }
    expect(result.usage).toEqual({ prompt_tokens: 18, total_tokens: 18 });

    const short = await client.embeddings.create({
      model: "text-embedding-3-small",
      input: refundQuestion,
      dimensions: 64,
    });
    expect(short.data[0]?.embedding).toHaveLength(64);
  });

  it("gives the same vector as floats and as the SDK's default base64", async () => {
    const request = { model: "text-embedding-3-small", input: refundPolicy };
    const floats = await client.embeddings.create({ ...request, encoding_format: "float" });
    const decoded = await client.embeddings.create(request);
    expect(fake.requests[1]?.body?.encoding_format).toBe("base64");
    // base64 carries float32s: the same numbers, rounded to single precision.
    const asFloat32 = Array.from(new Float32Array(floats.data[0]?.embedding ?? []));
    expect(asFloat32).toHaveLength(256);
    expect(decoded.data[0]?.embedding).toEqual(asFloat32);
  });

  it("puts texts that share words closer than unrelated texts", async () => {
    const result = await client.embeddings.create({
      model: "text-embedding-3-small",
      input: [refundQuestion, refundPolicy, office],
    });
    const [question, policy, unrelated] = result.data.map((item) => item.embedding);
    expect(cosine(question ?? [], policy ?? [])).toBeGreaterThan(0.3);
    expect(cosine(question ?? [], unrelated ?? [])).toBeLessThan(0.1);
  });

  it("is deterministic", async () => {
    const request = { model: "text-embedding-3-small", input: office, encoding_format: "float" };
    const first = await client.embeddings.create({ ...request, encoding_format: "float" });
    const second = await client.embeddings.create({ ...request, encoding_format: "float" });
    expect(second.data[0]?.embedding).toEqual(first.data[0]?.embedding);
  });

  it("stems words so that their forms meet, and drops stopwords", () => {
    expect(stems("Refunds refunded refunding")).toEqual(["refund", "refund", "refund"]);
    expect(stems("prices, priced, pricing")).toEqual(["pric", "pric", "pric"]);
    expect(stems("It is shipping to the café")).toEqual(["ship", "caf"]);
    expect(stems("to be or not to be")).toHaveLength(6);
  });

  it("fails as scripted", async () => {
    fake.scriptEmbeddings({ status: 503 });
    const error = await client.embeddings
      .create({ model: "text-embedding-3-small", input: "hello" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error).toMatchObject({ status: 503 });
  });

  it("refuses an empty input", async () => {
    const error = await client.embeddings
      .create({ model: "text-embedding-3-small", input: "" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
  });
});

describe("models", () => {
  it("lists the default models and those requests used", async () => {
    await client.chat.completions.create({ model: "gpt-test-large", messages: question });
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(["gpt-4o-mini", "gpt-test-large"]));
    expect((await client.models.retrieve("gpt-test-large")).id).toBe("gpt-test-large");
    await expect(client.models.retrieve("no-such-model")).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    );
  });
});
