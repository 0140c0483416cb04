// One streamed chat completion: text deltas handed on as they arrive, tool
// calls assembled from their fragments, token usage from the final chunk
// (stream_options.include_usage).
import type OpenAI from "openai";
import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from "openai/resources/chat/completions";

export type CompletionRequest = {
  model: string;
  temperature: number;
  maxTokens: number;
  messages: ChatCompletionMessageParam[];
  tools: ChatCompletionTool[];
};

export type ToolCall = { name: string; arguments: string };

export type StreamedCompletion = {
  text: string;
  toolCalls: ToolCall[];
  promptTokens: number;
  completionTokens: number;
  /** The model that answered, as the provider names it. */
  model: string;
};

export async function streamCompletion(
  client: OpenAI,
  request: CompletionRequest,
  options: { signal: AbortSignal; onDelta: (text: string) => void },
): Promise<StreamedCompletion> {
  const stream = await client.chat.completions.create(
    {
      model: request.model,
      temperature: request.temperature,
      max_tokens: request.maxTokens,
      messages: request.messages,
      tools: request.tools,
      stream: true,
      stream_options: { include_usage: true },
    },
    { signal: options.signal },
  );
  const result: StreamedCompletion = {
    text: "",
    toolCalls: [],
    promptTokens: 0,
    completionTokens: 0,
    model: request.model,
  };
  const tools = new Map<number, ToolCall>();
  for await (const chunk of stream) {
    if (chunk.model) result.model = chunk.model;
    if (chunk.usage) {
      result.promptTokens = chunk.usage.prompt_tokens;
      result.completionTokens = chunk.usage.completion_tokens;
    }
    const delta = chunk.choices[0]?.delta;
    if (delta?.content) {
      result.text += delta.content;
      options.onDelta(delta.content);
    }
    for (const fragment of delta?.tool_calls ?? []) {
      const call = tools.get(fragment.index) ?? { name: "", arguments: "" };
      call.name += fragment.function?.name ?? "";
      call.arguments += fragment.function?.arguments ?? "";
      tools.set(fragment.index, call);
    }
  }
  result.toolCalls = [...tools.values()];
  return result;
}
