// The assistant's latency, with the fake OpenAI server answering at once:
// (a) a customer's message stored → the chat completion request at the
//     provider (the enqueue, the queue's wake-up, the job's reads and
//     retrieval), and
// (b) the first token leaving the provider → the first assistant.delta at
//     the visitor's subscription (the SDK's stream parsing, the bus, the
//     widget stream).
// Run from the repository root with `pnpm bench:ai`; see bench/README.md.
import { randomUUID } from "node:crypto";
import { cpus } from "node:os";
import { createAiProvider } from "@netia/ai";
import {
  client,
  createTestRuntime,
  newVisitor,
  signUpAccount,
  testConfig,
} from "@netia/api/testing";
import { startFakeOpenAI } from "@netia/testkit/openai";
import { stats } from "../inbox/measure";
import { scratchDatabase } from "../lib/database";
import { benchmarkRun, log } from "../lib/run";

const MESSAGES = Number(process.env.BENCH_AI_MESSAGES ?? 200);
const WARMUP = Number(process.env.BENCH_AI_WARMUP ?? 20);

const { cleanups, cleanup } = benchmarkRun(10 * 60_000);

type StreamEvent = {
  type: string;
  index?: number;
  streamId?: string;
  message?: {
    senderType: string;
    clientMessageId: string | null;
    metadata?: { streamId?: string };
  };
};

async function main() {
  const { database } = await scratchDatabase("netia_bench_ai", 10, cleanups);
  const fake = await startFakeOpenAI();
  cleanups.push({ name: "close the fake OpenAI server", run: () => fake.close() });
  /** When the fake began answering each chat request (its first token follows at once). */
  const answered: number[] = [];
  fake.onChat(() => {
    answered.push(Date.now());
    return { content: "Hello! How can I help?" };
  });
  const rt = await createTestRuntime({
    database,
    ai: createAiProvider({ ...testConfig().llm, apiKey: "sk-bench", baseUrl: fake.url }),
  });
  // The pool is the scratch database's to close.
  cleanups.push({
    name: "stop the runtime",
    run: async () => {
      await rt.jobs.stop();
      await rt.realtime.close();
    },
  });

  const { admin, account } = await signUpAccount(rt, "Bench Bikes");
  await admin.assistant.updateSettings({ enabled: true, businessName: "Bench Bikes" });
  const visitor = await newVisitor(rt, account.id);
  const send = (conversationId?: string) =>
    visitor.widget.widget.sendMessage({
      body: "What are your opening hours?",
      conversationId,
      clientMessageId: randomUUID(),
    });

  const first = await send();
  const { conversationId } = first;
  const controller = new AbortController();
  const widget = client(rt, { widgetToken: visitor.sessionToken, signal: controller.signal });
  const firstDelta = new Map<string, number>();
  // The reply to a message is known by its idempotency key; it may arrive before `send` returns.
  const replies = new Map<string, string>();
  const waiting = new Map<string, (streamId: string) => void>();
  const events = await widget.widget.events({ conversationId });
  void (async () => {
    try {
      for await (const value of events as AsyncIterable<unknown>) {
        const event = (Array.isArray(value) ? value[1] : value) as StreamEvent;
        if (event.type === "assistant.delta" && event.index === 0 && event.streamId) {
          firstDelta.set(event.streamId, Date.now());
        }
        if (event.type === "message.created" && event.message?.senderType === "bot") {
          const key = event.message.clientMessageId ?? "";
          const streamId = event.message.metadata?.streamId ?? "";
          replies.set(key, streamId);
          waiting.get(key)?.(streamId);
        }
      }
    } catch {
      // the subscription ends with the run
    }
  })();
  const replyTo = (messageId: string) => {
    const key = `bot:ai-reply:${messageId}`;
    const arrived = replies.get(key);
    return arrived !== undefined
      ? Promise.resolve(arrived)
      : new Promise<string>((resolve) => waiting.set(key, resolve));
  };

  const toRequest: number[] = [];
  const toFirstDelta: number[] = [];
  for (let i = 0; i < WARMUP + MESSAGES; i++) {
    const chatsBefore = fake.chats.length;
    const { message } = await send(conversationId);
    const streamId = await replyTo(message.id);
    const request = fake.requests.filter((r) => r.path === "/v1/chat/completions")[chatsBefore];
    const deltaAt = firstDelta.get(streamId);
    const answeredAt = answered[chatsBefore];
    if (i < WARMUP || !request || deltaAt === undefined || answeredAt === undefined) continue;
    toRequest.push(request.at - new Date(message.createdAt).getTime());
    toFirstDelta.push(deltaAt - answeredAt);
  }
  controller.abort();

  const a = stats(toRequest);
  const b = stats(toFirstDelta);
  const row = (name: string, s: ReturnType<typeof stats>, target: number) =>
    `| ${name} | ${s.iterations} | ${s.medianMs} | ${s.p99Ms} | ${s.maxMs} | < ${target} |`;
  log(
    `# AI reply latency (${cpus().length} cores, Postgres, in-process bus, fake OpenAI answering at once)`,
  );
  log();
  log("| Interval | Samples | Median ms | p99 ms | Max ms | Target p99 ms |");
  log("| --- | ---: | ---: | ---: | ---: | ---: |");
  log(row("(a) message stored → request at the provider", a, 50));
  log(row("(b) first token sent → first delta at the widget", b, 20));
}

main()
  .then(() => cleanup())
  .catch(async (error) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
    await cleanup();
    process.exitCode = 1;
  });
