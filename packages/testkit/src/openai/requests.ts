// The requests the fake accepts: JSON bodies checked the way OpenAI checks
// them, so a client bug shows as the 400 OpenAI would send, not as a fake
// that answers anything.
import type { IncomingMessage } from "node:http";
import type { ChatBody } from "./chat";
import { HttpFailure } from "./errors";

/** The body of `POST /v1/embeddings`, as far as the fake reads it. */
export type EmbeddingsBody = {
  model: string;
  input: string | string[];
  dimensions?: number;
  encoding_format?: "float" | "base64";
  [key: string]: unknown;
};

export async function readJson(
  request: IncomingMessage,
): Promise<Record<string, unknown> | undefined> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString("utf8");
  if (text === "") return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function requireBody(body: Record<string, unknown> | undefined): Record<string, unknown> {
  if (body) return body;
  throw new HttpFailure({
    status: 400,
    message:
      "We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.",
  });
}

function requireModel(body: Record<string, unknown>): void {
  if (typeof body.model !== "string" || body.model === "") {
    throw new HttpFailure({ status: 400, message: "you must provide a model parameter" });
  }
}

export function validateChat(body: Record<string, unknown>): ChatBody {
  requireModel(body);
  const { messages } = body;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new HttpFailure(
      {
        status: 400,
        message: "Missing required parameter: 'messages'.",
        code: "missing_required_parameter",
      },
      "messages",
    );
  }
  messages.forEach((message: unknown, i) => {
    const role = (message as { role?: unknown } | null)?.role;
    if (!["system", "developer", "user", "assistant", "tool"].includes(role as string)) {
      throw new HttpFailure(
        { status: 400, message: `Invalid value for 'messages[${i}].role'.` },
        `messages[${i}].role`,
      );
    }
  });
  return body as ChatBody;
}

export function validateEmbeddings(body: Record<string, unknown>): EmbeddingsBody {
  requireModel(body);
  const { input, dimensions, encoding_format } = body;
  const texts = typeof input === "string" ? [input] : input;
  if (
    !Array.isArray(texts) ||
    texts.length === 0 ||
    !texts.every((text) => typeof text === "string" && text !== "")
  ) {
    throw new HttpFailure(
      {
        status: 400,
        message: "'input' must be a non-empty string or a non-empty array of non-empty strings.",
      },
      "input",
    );
  }
  if (
    dimensions !== undefined &&
    (!Number.isInteger(dimensions) || (dimensions as number) < 1 || (dimensions as number) > 3072)
  ) {
    throw new HttpFailure(
      { status: 400, message: "'dimensions' must be an integer from 1 to 3072." },
      "dimensions",
    );
  }
  if (
    encoding_format !== undefined &&
    encoding_format !== "float" &&
    encoding_format !== "base64"
  ) {
    throw new HttpFailure(
      { status: 400, message: "'encoding_format' must be 'float' or 'base64'." },
      "encoding_format",
    );
  }
  return body as EmbeddingsBody;
}
