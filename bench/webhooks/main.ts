// Outbound webhook figures, on a scratch Postgres database with a local
// receiver (an HTTP server in this process answering 200):
// (a) Fan-out throughput: deliveries per second with 1, 10 and 100
//     endpoints subscribed to message.created. Customer messages are sent
//     through the widget router by 8 visitors at once; each enqueues one fan-out job in its own
//     transaction, which makes one delivery and one `webhooks.deliver` job per
//     endpoint; the clock runs from the first message to the last delivery
//     received. Job workers run in this process with the production
//     settings (2 worker loops per job kind, each fetching a batch; pg-boss
//     notifications and polling).
// (b) The message path: the widget's sendMessage with 0 and with 100
//     subscribed endpoints, on a runtime that runs no jobs (so deliveries do
//     not compete for the CPU): what the fan-out job's insert adds to the
//     write. Delivery itself is after commit, in jobs.
// Run from the repository root with `pnpm bench:webhooks`; see bench/README.md.
import { randomUUID } from "node:crypto";
import { createTestRuntime, newVisitor, signUpAccount, testConfig } from "@netia/api/testing";
import type { Runtime } from "@netia/runtime";
import { startWebhookReceiver } from "@netia/testkit/webhook-receiver";
import { time } from "../inbox/measure";
import { scratchDatabase } from "../lib/database";
import { benchmarkRun, log } from "../lib/run";

const DELIVERIES = Number(process.env.BENCH_WEBHOOKS_DELIVERIES ?? 2000);
const PATH_ITERATIONS = Number(process.env.BENCH_WEBHOOKS_PATH_ITERATIONS ?? 300);
const WARMUP = 20;
/** Visitors sending at once in the throughput rows. */
const SENDERS = Number(process.env.BENCH_WEBHOOKS_SENDERS ?? 8);

const { cleanups, cleanup } = benchmarkRun(20 * 60_000);

async function accountWithEndpoints(rt: Runtime, url: string, count: number) {
  const { admin, account } = await signUpAccount(rt, `Bench ${count}`);
  for (let i = 0; i < count; i++) {
    await admin.webhooks.create({ url: `${url}/hook-${i}`, eventTypes: ["message.created"] });
  }
  const visitor = await newVisitor(rt, account.id);
  return { admin, account, visitor };
}

async function main() {
  const { database, postgresVersion } = await scratchDatabase("netia_bench_webhooks", 10, cleanups);
  const receiver = await startWebhookReceiver();
  cleanups.push({ name: "close the receiver", run: () => receiver.close() });
  const config = testConfig({ WEBHOOKS_ALLOW_PRIVATE_NETWORKS: "true", LOG_LEVEL: "error" });

  // (a) Throughput, with job workers.
  const rt = await createTestRuntime({ database, config, jobs: { pollingIntervalSeconds: 0.5 } });
  cleanups.push({
    name: "stop the runtime",
    run: async () => {
      await rt.jobs.stop();
      await rt.realtime.close();
    },
  });
  const fanOut: string[] = [];
  for (const endpoints of [1, 10, 100]) {
    const { account, visitor } = await accountWithEndpoints(rt, receiver.url, endpoints);
    const messages = Math.max(1, Math.round(DELIVERIES / endpoints));
    // Several visitors write at once, so sending is not what bounds the row.
    const visitors = [visitor];
    while (visitors.length < Math.min(SENDERS, messages)) {
      visitors.push(await newVisitor(rt, account.id));
    }
    const before = receiver.received.length;
    const started = performance.now();
    let next = 0;
    await Promise.all(
      visitors.map(async (sender) => {
        let conversationId: string | undefined;
        for (let i = next++; i < messages; i = next++) {
          const sent = await sender.widget.widget.sendMessage({
            body: `message ${i}`,
            clientMessageId: randomUUID(),
            ...(conversationId && { conversationId }),
          });
          conversationId = sent.conversationId;
        }
      }),
    );
    const sentSeconds = (performance.now() - started) / 1000;
    const total = messages * endpoints;
    await receiver.waitFor(before + total, 15 * 60_000);
    const seconds = (performance.now() - started) / 1000;
    fanOut.push(
      `| ${endpoints} | ${messages} | ${total} | ${sentSeconds.toFixed(2)} | ${seconds.toFixed(2)} | ${Math.round(total / seconds)} |`,
    );
  }
  await rt.jobs.stop();
  await rt.realtime.close();

  // (b) The message path, with no job worker.
  const quiet = await createTestRuntime({ database, config, jobs: { work: false } });
  cleanups.push({
    name: "stop the quiet runtime",
    run: async () => {
      await quiet.jobs.stop();
      await quiet.realtime.close();
    },
  });
  const paths: string[] = [];
  for (const endpoints of [0, 100]) {
    const { visitor } = await accountWithEndpoints(quiet, receiver.url, endpoints);
    const first = await visitor.widget.widget.sendMessage({
      body: "first",
      clientMessageId: randomUUID(),
    });
    const s = await time(
      (i) =>
        visitor.widget.widget.sendMessage({
          body: `message ${i}`,
          clientMessageId: randomUUID(),
          conversationId: first.conversationId,
        }),
      { warmup: WARMUP, iterations: PATH_ITERATIONS },
    );
    paths.push(`| ${endpoints} | ${s.iterations} | ${s.medianMs} | ${s.p95Ms} | ${s.p99Ms} |`);
  }

  log(`Webhooks benchmark on ${postgresVersion}, about ${DELIVERIES} deliveries per row.`);
  log();
  log("| Endpoints | Messages | Deliveries | Sending s | Until all received s | Deliveries/s |");
  log("| ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const row of fanOut) log(row);
  log();
  log("| Subscribed endpoints | Customer messages | Median ms | p95 ms | p99 ms |");
  log("| ---: | ---: | ---: | ---: | ---: |");
  for (const row of paths) log(row);
}

main()
  .then(() => cleanup())
  .catch(async (error) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
    await cleanup();
    process.exitCode = 1;
  });
