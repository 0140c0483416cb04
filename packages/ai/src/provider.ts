// The AI provider as a Netia process holds it: the settings from config and an
// OpenAI client made on first use (the SDK loads only when something asks the
// model, never in a process that only serves chat). Any OpenAI-compatible API
// works through OPENAI_BASE_URL; tests point it at a local fake of the protocol.
import type { Config } from "@netia/config";
import type OpenAI from "openai";

export type AiProvider = {
  model: string;
  maxTokens: number;
  temperature: number;
  timeoutMs: number;
  /** Retries the SDK makes inside one attempt of a job (the job retries on top, with backoff). */
  maxRetries: number;
  /** null: the knowledge base is searched with full-text search alone. */
  embeddingModel: string | null;
  client(): Promise<OpenAI>;
};

/** The provider, or null when OPENAI_API_KEY is not set (the assistant is off). */
export function createAiProvider(llm: Config["llm"]): AiProvider | null {
  const { apiKey } = llm;
  if (!apiKey) return null;
  let client: Promise<OpenAI> | undefined;
  return {
    model: llm.model,
    maxTokens: llm.maxTokens,
    temperature: llm.temperature,
    timeoutMs: llm.timeoutMs,
    maxRetries: llm.maxRetries,
    embeddingModel: llm.embeddingModel,
    client() {
      client ??= import("openai").then(
        ({ default: OpenAIClient }) =>
          new OpenAIClient({
            apiKey,
            baseURL: llm.baseUrl,
            timeout: llm.timeoutMs,
            maxRetries: llm.maxRetries,
          }),
      );
      return client;
    },
  };
}

/** Why the assistant cannot run, for the dashboard; null when it can. */
export function unavailableReason(provider: AiProvider | null): string | null {
  return provider
    ? null
    : "OPENAI_API_KEY is not set on the server: the AI assistant is off until an operator sets it (docs/assistant.md).";
}
