// Chat completions as OpenAI sends them: one `chat.completion` object, or the
// `chat.completion.chunk` objects of a stream (role first, then content or
// tool-call pieces, then the finish reason, then usage when asked for).

/** A message of a chat request: only what the fake reads, the rest passes through. */
export type ChatMessage = {
  role: string;
  content?: string | null | Array<{ type: string; text?: string }>;
  tool_calls?: Array<{ function?: { name?: string; arguments?: string } }>;
  [key: string]: unknown;
};

/** The body of `POST /v1/chat/completions`, as far as the fake reads it. */
export type ChatBody = {
  model: string;
  messages: ChatMessage[];
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean } | null;
  [key: string]: unknown;
};

export type FakeToolCall = {
  name: string;
  /** An object is sent as its JSON; a string is sent as it is (to test malformed arguments). */
  arguments: Record<string, unknown> | string;
  /** Defaults to a deterministic `call_…` id. */
  id?: string;
};

/** A successful answer. */
export type FakeChatAnswer = {
  /** The text of the answer. */
  content?: string;
  /** The text split as it is to be streamed; `content` may then be left out. */
  chunks?: string[];
  toolCalls?: FakeToolCall[];
  /** Defaults to "tool_calls" when there are tool calls, "stop" otherwise. */
  finishReason?: "stop" | "length" | "tool_calls" | "content_filter";
  /** Waits this long before answering (before the response headers). */
  delayMs?: number;
  /** Streams only: waits this long before each chunk after the first. */
  chunkDelayMs?: number;
  /** Streams only: cuts the connection after this many chunks, as a dropped network would. */
  dropAfterChunks?: number;
};

export type Usage = { prompt_tokens: number; completion_tokens: number; total_tokens: number };

/** OpenAI's rule of thumb: about four characters per token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The text of a message's content, whether a string or an array of parts. */
export function messageText(message: ChatMessage): string {
  const { content } = message;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => (typeof part.text === "string" ? part.text : "")).join("");
}

/** The text of the last user message, "" when there is none. */
export function lastUserText(body: ChatBody): string {
  const last = body.messages.findLast((message) => message.role === "user");
  return last ? messageText(last) : "";
}

/** What the fake answers when nothing is scripted: the last user message, echoed. */
export function echoAnswer(body: ChatBody): FakeChatAnswer {
  return { content: `Echo: ${lastUserText(body)}` };
}

function argumentsText(call: FakeToolCall): string {
  return typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments);
}

/** The answer with every default filled in, ready to be sent either way. */
export type ResolvedAnswer = {
  content: string | null;
  chunks: string[];
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
  finishReason: string;
  usage: Usage;
};

export function resolveAnswer(
  answer: FakeChatAnswer,
  body: ChatBody,
  completionId: string,
): ResolvedAnswer {
  const content = answer.chunks ? answer.chunks.join("") : (answer.content ?? null);
  const toolCalls = (answer.toolCalls ?? []).map((call, i) => ({
    id: call.id ?? `call_${completionId.replace(/^chatcmpl-/, "")}_${i}`,
    name: call.name,
    arguments: argumentsText(call),
  }));
  const promptText = body.messages
    .map(
      (message) =>
        messageText(message) +
        (message.tool_calls ?? []).map((call) => call.function?.arguments ?? "").join(""),
    )
    .join("\n");
  const completionText =
    (content ?? "") + toolCalls.map((call) => call.name + call.arguments).join("");
  const prompt_tokens = estimateTokens(promptText);
  const completion_tokens = estimateTokens(completionText);
  return {
    content,
    // Words with their trailing space, the way a model streams them.
    chunks: answer.chunks ?? (content ? (content.match(/\S+\s*|\s+/g) ?? []) : []),
    toolCalls,
    finishReason: answer.finishReason ?? (toolCalls.length > 0 ? "tool_calls" : "stop"),
    usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens },
  };
}

type Envelope = { id: string; model: string; created: number };

/** The `chat.completion` object of a non-streamed request. */
export function completionObject(answer: ResolvedAnswer, envelope: Envelope) {
  return {
    id: envelope.id,
    object: "chat.completion",
    created: envelope.created,
    model: envelope.model,
    system_fingerprint: "fp_netia_fake",
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: answer.content,
          refusal: null,
          ...(answer.toolCalls.length > 0
            ? {
                tool_calls: answer.toolCalls.map((call) => ({
                  id: call.id,
                  type: "function",
                  function: { name: call.name, arguments: call.arguments },
                })),
              }
            : {}),
        },
        logprobs: null,
        finish_reason: answer.finishReason,
      },
    ],
    usage: answer.usage,
  };
}

/** Tool-call arguments arrive in pieces of this many characters, as from a model. */
const argumentPieceLength = 8;

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/**
 * The `chat.completion.chunk` objects of a streamed request, in order. Tool
 * calls stream as OpenAI streams them: a first delta with index, id, type and
 * name (arguments ""), then deltas carrying only index and an argument piece.
 */
export function streamChunks(answer: ResolvedAnswer, envelope: Envelope, includeUsage: boolean) {
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
    id: envelope.id,
    object: "chat.completion.chunk",
    created: envelope.created,
    model: envelope.model,
    system_fingerprint: "fp_netia_fake",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  });
  const chunks: object[] = [];
  const first: Record<string, unknown> = { role: "assistant", content: "", refusal: null };
  if (answer.toolCalls.length > 0 && answer.content === null) first.content = null;
  chunks.push(chunk(first));
  for (const piece of answer.chunks) chunks.push(chunk({ content: piece }));
  answer.toolCalls.forEach((call, index) => {
    chunks.push(
      chunk({
        tool_calls: [
          { index, id: call.id, type: "function", function: { name: call.name, arguments: "" } },
        ],
      }),
    );
    for (const piece of pieces(call.arguments, argumentPieceLength)) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  chunks.push(chunk({}, answer.finishReason));
  if (includeUsage) {
    chunks.push({
      id: envelope.id,
      object: "chat.completion.chunk",
      created: envelope.created,
      model: envelope.model,
      system_fingerprint: "fp_netia_fake",
      choices: [],
      usage: answer.usage,
    });
  }
  return chunks;
}
