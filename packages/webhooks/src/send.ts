// One attempt at delivering a webhook: the body signed by the Standard
// Webhooks scheme (webhook-id, webhook-timestamp, webhook-signature headers,
// HMAC-SHA256 over "id.timestamp.body"), POSTed to the address the SSRF guard
// checked (the connection is pinned to it), redirects followed by hand (at
// most 3, each checked again), and a short timeout. It never throws: the
// outcome, with what the receiver answered, goes to the delivery log.
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { Webhook } from "standardwebhooks";
import { type CheckedTarget, checkWebhookUrl, type GuardOptions } from "./ssrf";

/** Redirects followed before an attempt counts as failed. */
const MAX_REDIRECTS = 3;
/** How much of the receiver's answer the log keeps. */
const EXCERPT_CHARS = 1_000;
/** Bytes read from an answer at most (the rest is dropped). */
const MAX_READ_BYTES = 64 * 1024;

export type SendOptions = GuardOptions & {
  /** Whole attempt, redirects included (default 15 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
};

export type AttemptOutcome = {
  ok: boolean;
  /** The final answer's status; null when none came (refused URL, timeout, connection error). */
  statusCode: number | null;
  responseExcerpt: string | null;
  error: string | null;
  durationMs: number;
};

/** Standard Webhooks headers for `body` (the exact bytes sent). */
export function signatureHeaders(
  secret: string,
  webhookId: string,
  timestamp: Date,
  body: string,
): Record<string, string> {
  return {
    "webhook-id": webhookId,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(webhookId, timestamp, body),
  };
}

export async function sendWebhook(
  request: { url: string; secret: string; webhookId: string; body: string },
  options: SendOptions,
): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 15_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const headers = {
    "content-type": "application/json",
    "user-agent": "Netia-Webhooks/1.0",
    ...signatureHeaders(request.secret, request.webhookId, new Date(), request.body),
  };
  let url: string | URL = request.url;
  try {
    for (let redirects = 0; ; redirects++) {
      const target = await checkWebhookUrl(url, options);
      const answer = await post(target, headers, request.body, signal);
      const location = answer.headers.location;
      if (answer.statusCode >= 300 && answer.statusCode < 400 && location) {
        if (redirects >= MAX_REDIRECTS) {
          return failed(answer.statusCode, answer.excerpt, "too many redirects", elapsed());
        }
        url = new URL(location, target.url);
        continue;
      }
      const ok = answer.statusCode >= 200 && answer.statusCode < 300;
      return {
        ok,
        statusCode: answer.statusCode,
        responseExcerpt: answer.excerpt,
        error: ok ? null : `HTTP ${answer.statusCode}`,
        durationMs: elapsed(),
      };
    }
  } catch (error) {
    const message = timeout.aborted
      ? "timed out"
      : error instanceof Error
        ? error.message
        : String(error);
    return failed(null, null, message, elapsed());
  }
}

function failed(
  statusCode: number | null,
  responseExcerpt: string | null,
  error: string,
  durationMs: number,
): AttemptOutcome {
  return { ok: false, statusCode, responseExcerpt, error, durationMs };
}

type Answer = { statusCode: number; headers: http.IncomingHttpHeaders; excerpt: string };

/** POSTs to the checked address only: the lookup answers with it, whatever DNS says now. */
function post(
  target: CheckedTarget,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<Answer> {
  const { address, family } = target.address;
  const pinned: LookupFunction = (_host, opts, callback) => {
    if (opts.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const transport = target.url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      target.url,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        lookup: pinned,
        signal,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let read = 0;
        res.on("data", (chunk: Buffer) => {
          if (read < MAX_READ_BYTES) chunks.push(chunk);
          read += chunk.length;
        });
        res.on("end", () =>
          resolve({
            statusCode: res.statusCode ?? 0,
            headers: res.headers,
            excerpt: Buffer.concat(chunks).toString("utf8").slice(0, EXCERPT_CHARS),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
