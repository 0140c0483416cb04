// The delivery test: N customer connections, each sending into its own
// conversation at a fixed total rate (open loop: a send is issued when it is
// due, whether or not earlier ones have returned), and M agent connections that
// receive every message of the account. Every send carries its start time
// (performance.now() of this process) in the body; latency is an agent's
// receive time minus that, on the same clock, one sample per message per agent.
import { randomUUID } from "node:crypto";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import { io, type Socket } from "socket.io-client";
import { WebSocket } from "ws";
import { type LiveClient, liveClient } from "../../apps/web/src/e2e/nodes";
import type { Child, LoopStats, ProcessStats } from "./ipc";
import { cpuMsByName, machineCpu } from "./machine";
import type { FloorRouter } from "./trpc-floor-node";

/** Postgres' WAL position (an LSN), and the bytes written since one. */
export type WalMeter = {
  position(): Promise<string>;
  bytesSince(lsn: string): Promise<number>;
};

export type Customer = {
  customerId: string;
  token: string;
  conversationId: string;
  /** Last seq of the conversation when the test starts (no backlog is replayed). */
  lastSeq: number;
};

export type Scene = { accountId: string; cookie: string; customers: Customer[] };

/** What a test needs from a system under test, Netia or the baseline. */
export type Transport = {
  connect(): Promise<void>;
  /** Resolves once the server has stored the message and answered, with its `seq`. */
  send(customer: number, body: string): Promise<number | null>;
  close(): void;
};

type OnAgentMessage = (agent: number, body: string, seq: number | null) => void;

const wsUrl = (port: number) => ({ wsUrl: `ws://127.0.0.1:${port}/api/trpc-ws` });

function firstEvent(timeoutMs: number) {
  let resolve: () => void = () => {};
  let reject: (e: unknown) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const timer = setTimeout(() => reject(new Error("no first event in time")), timeoutMs);
  return {
    promise,
    done: () => {
      clearTimeout(timer);
      resolve();
    },
    fail: (e: unknown) => {
      clearTimeout(timer);
      reject(e);
    },
  };
}

/** Customers on `customerPort`, agents on `agentPort` (the same port for one node). */
export function netiaTransport(
  scene: Scene,
  { customerPort, agentPort, agents }: { customerPort: number; agentPort: number; agents: number },
  onAgentMessage: OnAgentMessage,
): Transport {
  const customers: LiveClient[] = [];
  const agentClients: LiveClient[] = [];
  const unsubscribes: (() => void)[] = [];
  return {
    async connect() {
      const ready: Promise<void>[] = [];
      for (let a = 0; a < agents; a++) {
        const client = liveClient(wsUrl(agentPort), { cookie: scene.cookie });
        agentClients.push(client);
        const first = firstEvent(30_000);
        ready.push(first.promise);
        const sub = client.trpc.dashboard.events.subscribe(
          {},
          {
            onData: (raw: unknown) => {
              first.done();
              // Tracked events (messages) arrive as { id, data }.
              const event = (
                raw && typeof raw === "object" && "data" in raw
                  ? (raw as { data: unknown }).data
                  : raw
              ) as { type?: string; message?: { body?: string; seq?: number } };
              if (event.type === "message.created" && event.message?.body) {
                onAgentMessage(a, event.message.body, event.message.seq ?? null);
              }
            },
            onError: first.fail,
          },
        );
        unsubscribes.push(() => sub.unsubscribe());
      }
      for (const c of scene.customers) {
        const client = liveClient(wsUrl(customerPort), { widgetToken: c.token });
        customers.push(client);
        // The widget listens to its conversation, as it does in a browser.
        const first = firstEvent(30_000);
        ready.push(first.promise);
        const sub = client.trpc.widget.events.subscribe(
          { conversationId: c.conversationId, lastEventId: String(c.lastSeq) },
          { onData: () => first.done(), onError: first.fail },
        );
        unsubscribes.push(() => sub.unsubscribe());
      }
      await Promise.all(ready);
    },
    async send(i, body) {
      const c = scene.customers[i] as Customer;
      const { message } = await (customers[i] as LiveClient).trpc.widget.sendMessage.mutate({
        conversationId: c.conversationId,
        body,
        clientMessageId: randomUUID(),
      });
      return message.seq;
    },
    close() {
      for (const u of unsubscribes.splice(0)) u();
      for (const c of [...customers.splice(0), ...agentClients.splice(0)]) c.close();
    },
  };
}

export function socketIoTransport(
  scene: Scene,
  { customerPort, agentPort, agents }: { customerPort: number; agentPort: number; agents: number },
  onAgentMessage: OnAgentMessage,
): Transport {
  const sockets: Socket[] = [];
  const customers: Socket[] = [];
  const open = (port: number, auth: Record<string, string>) => {
    const socket = io(`http://127.0.0.1:${port}`, {
      transports: ["websocket"],
      forceNew: true,
      auth,
    });
    sockets.push(socket);
    return socket;
  };
  return {
    async connect() {
      const ready: Promise<void>[] = [];
      for (let a = 0; a < agents; a++) {
        const socket = open(agentPort, { role: "agent", accountId: scene.accountId });
        ready.push(new Promise((resolve) => socket.once("ready", () => resolve())));
        socket.on("message.created", (event: { message?: { body?: string; seq?: string } }) => {
          if (event.message?.body) {
            onAgentMessage(a, event.message.body, Number(event.message.seq ?? Number.NaN));
          }
        });
      }
      for (const c of scene.customers) {
        const socket = open(customerPort, {
          role: "customer",
          accountId: scene.accountId,
          conversationId: c.conversationId,
          customerId: c.customerId,
        });
        customers.push(socket);
        ready.push(new Promise((resolve) => socket.once("ready", () => resolve())));
      }
      await Promise.all(ready);
    },
    async send(i, body) {
      const answer = (await (customers[i] as Socket).emitWithAck("send", {
        body,
        clientMessageId: randomUUID(),
      })) as { error?: string; message?: { seq?: string } };
      if (answer.error) throw new Error(answer.error);
      return Number(answer.message?.seq ?? Number.NaN);
    },
    close() {
      for (const s of sockets.splice(0)) s.disconnect();
      customers.length = 0;
    },
  };
}

/** The tRPC floor (trpc-floor-node.ts): one node, identity in the connection parameters. */
export function trpcFloorTransport(
  scene: Scene,
  { customerPort, agents }: { customerPort: number; agentPort: number; agents: number },
  onAgentMessage: OnAgentMessage,
): Transport {
  const clients: ReturnType<typeof createWSClient>[] = [];
  const customers: ReturnType<typeof createTRPCClient<FloorRouter>>[] = [];
  const unsubscribes: (() => void)[] = [];
  const open = (params: Record<string, string>) => {
    const ws = createWSClient({
      url: wsUrl(customerPort).wsUrl,
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
      connectionParams: params,
    });
    clients.push(ws);
    return createTRPCClient<FloorRouter>({ links: [wsLink({ client: ws })] });
  };
  const listen = (
    client: ReturnType<typeof open>,
    ready: Promise<void>[],
    onMessage?: (body: string, seq: number) => void,
  ) => {
    const first = firstEvent(30_000);
    ready.push(first.promise);
    const sub = client.events.subscribe(undefined, {
      onData: (raw) => {
        first.done();
        if (onMessage && "data" in raw) {
          const { message } = raw.data;
          onMessage(String(message.body), Number(message.seq));
        }
      },
      onError: first.fail,
    });
    unsubscribes.push(() => sub.unsubscribe());
  };
  return {
    async connect() {
      const ready: Promise<void>[] = [];
      for (let a = 0; a < agents; a++) {
        const client = open({ role: "agent", accountId: scene.accountId });
        listen(client, ready, (body, seq) => onAgentMessage(a, body, seq));
      }
      for (const c of scene.customers) {
        const client = open({
          role: "customer",
          accountId: scene.accountId,
          conversationId: c.conversationId,
          customerId: c.customerId,
        });
        customers.push(client);
        listen(client, ready);
      }
      await Promise.all(ready);
    },
    async send(i, body) {
      const { message } = await (customers[i] as ReturnType<typeof open>).send.mutate({
        body,
        clientMessageId: randomUUID(),
      });
      return Number(message.seq);
    },
    close() {
      for (const u of unsubscribes.splice(0)) u();
      for (const c of clients.splice(0)) c.close();
      customers.length = 0;
    },
  };
}

export type StepResult = {
  /** When a rate ran several rounds: each round's p99 (this result is the median round). */
  roundsP99Ms?: number[];
  targetRate: number;
  durationMs: number;
  sent: number;
  acked: number;
  sendErrors: number;
  firstError: string | null;
  deliveriesExpected: number;
  delivered: number;
  /** Messages that reached every agent. */
  fullyDelivered: number;
  /** Messages fully delivered per second, over the longer of the window and the last delivery. */
  achievedRate: number;
  /** The in-flight cap was hit: the server stopped keeping up. */
  saturated: boolean;
  /** Over every expected delivery; a delivery that never came counts as infinitely late. */
  latency: { medianMs: number; p90Ms: number; p99Ms: number; maxMs: number };
  /** Over the deliveries that came. */
  deliveredLatency: { medianMs: number; p99Ms: number };
  /**
   * Messages stored (acked) that no agent received by the end of the drain, and
   * of those, how many had a lower seq than a message the agents had already
   * received when their own send was answered (overtaken in seq order).
   */
  lostMessages: number;
  lostOvertaken: number;
  /** Lost message seqs (up to 20), for looking them up. */
  lostSeqs: number[];
  /**
   * Messages the first agent received after one with a higher seq: how often
   * the order of delivery (commit and publish order) differs from seq order.
   */
  outOfSeqOrder: number;
  /** Send start to the server's answer (stored), per message. */
  ack: {
    medianMs: number;
    p99Ms: number;
    /** The slowest answers and when they were sent (ms into the step): one stall, or many? */
    slowest: { sentAtMs: number; ms: number }[];
  };
  /** This (client) process: event-loop delay p99 and CPU time during the step. */
  clientLoopDelayP99Ms: number;
  clientCpuMs: number;
  /** CPU time of each server process during the step. */
  serverCpuMs: Record<string, number>;
  /** Each server's event-loop delay and GC pauses during the step. */
  serverLoop: Record<string, LoopStats>;
  postgresCpuMs: number;
  redisCpuMs: number;
  /** Share of all cores busy during the step (every process on the machine). */
  machineBusy: number;
  /** What the server processes did per message sent, all nodes together. */
  perMessage: {
    sqlStatements: number;
    /** Socket writes to clients (websocket frames, usually one write each) and their bytes. */
    clientWrites: number;
    clientBytes: number;
    postgresWrites: number;
    redisWrites: number;
    /** Bytes of Postgres WAL written (whatever wrote it: the step is alone on the database). */
    walBytes: number;
  };
  /** p99 < 50 ms, no loss, no error, not saturated, achieved at least 95 % of the target. */
  passed: boolean;
};

export const P99_TARGET_MS = 50;

/** Nearest-rank percentile; missing samples are +Infinity (they count as late). */
function pct(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] as number;
}
const round = (n: number) => (Number.isFinite(n) ? Math.round(n * 100) / 100 : n);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Drives one system through its steps. `servers` are the processes whose CPU
 * time is recorded per step.
 */
export class DeliveryRun {
  private pending = new Map<
    number,
    { remaining: number; t0: number; storedSeq: number | null; highestSeenAtAck: number }
  >();
  /** Highest server seq any agent has received. */
  private highestSeen = 0;
  /** Highest server seq the first agent has received, and how often one came after a higher one. */
  private firstAgentHighest = 0;
  private outOfSeqOrder = 0;
  private latencies: number[] = [];
  private lastFullDelivery = 0;
  private fullyDelivered = 0;
  private seq = 0;
  private readonly tag = randomUUID().slice(0, 8);

  constructor(
    private readonly customers: number,
    private readonly agents: number,
  ) {}

  /** Handler for agents' message events (wire it into the transport). */
  readonly onAgentMessage: OnAgentMessage = (agent, body, storedSeq) => {
    const now = performance.now();
    if (storedSeq !== null && Number.isFinite(storedSeq)) {
      if (storedSeq > this.highestSeen) this.highestSeen = storedSeq;
      if (agent === 0) {
        if (storedSeq < this.firstAgentHighest) this.outOfSeqOrder++;
        else this.firstAgentHighest = storedSeq;
      }
    }
    // "bench <tag> <seq> <t0>"
    if (!body.startsWith("bench ")) return;
    const [, tag, seqText, t0Text] = body.split(" ");
    if (tag !== this.tag) return;
    const seq = Number(seqText);
    const entry = this.pending.get(seq);
    if (!entry) return;
    this.latencies.push(now - Number(t0Text));
    entry.remaining--;
    if (entry.remaining === 0) {
      this.pending.delete(seq);
      this.fullyDelivered++;
      this.lastFullDelivery = now;
    }
  };

  /** Sends one message and waits until every agent has it (or `timeoutMs`). */
  async one(transport: Transport, timeoutMs = 5000): Promise<number> {
    this.pending.clear();
    this.latencies = [];
    const seq = this.seq++;
    const t0 = performance.now();
    this.pending.set(seq, { remaining: this.agents, t0, storedSeq: null, highestSeenAtAck: 0 });
    await transport.send(0, `bench ${this.tag} ${seq} ${t0.toFixed(3)}`);
    while (this.pending.has(seq) && performance.now() - t0 < timeoutMs) await sleep(2);
    return performance.now() - t0;
  }

  async step(
    transport: Transport,
    servers: Child[],
    {
      rate,
      durationMs,
      drainMs,
      wal,
    }: {
      rate: number;
      durationMs: number;
      drainMs: number;
      /** Reads Postgres' WAL position, to attribute the WAL written during the step. */
      wal?: WalMeter;
    },
  ): Promise<StepResult> {
    this.pending.clear();
    this.latencies = [];
    this.fullyDelivered = 0;
    this.lastFullDelivery = 0;
    this.outOfSeqOrder = 0;
    const acks: number[] = [];
    const ackTimes: { sentAtMs: number; ms: number }[] = [];
    let sendErrors = 0;
    let firstError: string | null = null;
    let inFlight = 0;
    // More than two seconds of sends unanswered: the server is not keeping up.
    const maxInFlight = Math.max(200, rate * 2);
    let saturated = false;

    const walBefore = await wal?.position();
    const serverBefore = await Promise.all(servers.map((s) => s.stats()));
    await Promise.all(servers.map((s) => s.request("loop-reset")));
    const namedBefore = cpuMsByName(["postgres", "redis-server"]);
    const machineBefore = machineCpu();
    const cpuBefore = process.cpuUsage();
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();

    const start = performance.now();
    let issued = 0;
    for (;;) {
      const elapsed = performance.now() - start;
      if (elapsed >= durationMs) break;
      const due = Math.min(
        Math.floor((elapsed * rate) / 1000) + 1,
        Math.round((durationMs * rate) / 1000),
      );
      while (issued < due) {
        if (inFlight >= maxInFlight) {
          saturated = true;
          break;
        }
        const seq = this.seq++;
        const t0 = performance.now();
        const entry = {
          remaining: this.agents,
          t0,
          storedSeq: null as number | null,
          highestSeenAtAck: 0,
        };
        this.pending.set(seq, entry);
        inFlight++;
        transport
          .send(issued % this.customers, `bench ${this.tag} ${seq} ${t0.toFixed(3)}`)
          .then(
            (storedSeq) => {
              acks.push(performance.now() - t0);
              ackTimes.push({ sentAtMs: round(t0 - start), ms: round(performance.now() - t0) });
              entry.storedSeq = storedSeq;
              entry.highestSeenAtAck = this.highestSeen;
            },
            (error: unknown) => {
              sendErrors++;
              firstError ??= error instanceof Error ? error.message : String(error);
              this.pending.delete(seq);
            },
          )
          .finally(() => {
            inFlight--;
          });
        issued++;
      }
      if (saturated) break;
      await sleep(1);
    }
    const windowEnd = performance.now();
    const drainUntil = windowEnd + drainMs;
    while ((this.pending.size > 0 || inFlight > 0) && performance.now() < drainUntil)
      await sleep(5);
    loop.disable();
    const cpuAfter = process.cpuUsage(cpuBefore);
    const machineAfter = machineCpu();
    const namedAfter = cpuMsByName(["postgres", "redis-server"]);
    const serverAfter = await Promise.all(servers.map((s) => s.stats()));
    const walWritten = walBefore && wal ? await wal.bytesSince(walBefore) : Number.NaN;

    const missing = [...this.pending.values()].reduce((n, p) => n + p.remaining, 0);
    const lost = [...this.pending.values()].filter(
      (p) => p.remaining === this.agents && p.storedSeq !== null,
    );
    const lostOvertaken = lost.filter((p) => (p.storedSeq as number) < p.highestSeenAtAck).length;
    const delivered = [...this.latencies].sort((a, b) => a - b);
    const sentOk = issued - sendErrors;
    const samples = [
      ...this.latencies,
      ...Array<number>(missing).fill(Number.POSITIVE_INFINITY),
    ].sort((a, b) => a - b);
    acks.sort((a, b) => a - b);
    const span = Math.max(durationMs, (this.lastFullDelivery || windowEnd) - start);
    const achievedRate = (this.fullyDelivered / span) * 1000;
    const latency = {
      medianMs: round(pct(samples, 0.5)),
      p90Ms: round(pct(samples, 0.9)),
      p99Ms: round(pct(samples, 0.99)),
      maxMs: round(samples.at(-1) ?? Number.NaN),
    };
    const serverCpuMs: Record<string, number> = {};
    const serverLoop: Record<string, LoopStats> = {};
    servers.forEach((s, i) => {
      const before = serverBefore[i];
      const after = serverAfter[i];
      if (after) serverLoop[s.name] = after.loop;
      if (before && after)
        serverCpuMs[s.name] = Math.round(after.cpuMsBeforeGc - before.cpuMsAfterGc);
    });
    const sum = (f: (st: ProcessStats) => number) =>
      serverAfter.reduce((n, after, i) => n + f(after) - f(serverBefore[i] as ProcessStats), 0);
    const perMsg = (n: number) => Math.round((n / Math.max(1, issued)) * 10) / 10;
    const perMessage = {
      sqlStatements: perMsg(sum((st) => st.sqlStatements)),
      clientWrites: perMsg(sum((st) => st.writes.clients.calls)),
      clientBytes: Math.round(sum((st) => st.writes.clients.bytes) / Math.max(1, issued)),
      postgresWrites: perMsg(sum((st) => st.writes.postgres.calls)),
      redisWrites: perMsg(sum((st) => st.writes.redis.calls)),
      walBytes: Math.round(walWritten / Math.max(1, issued)),
    };
    const passed =
      !saturated &&
      sendErrors === 0 &&
      missing === 0 &&
      achievedRate >= 0.95 * rate &&
      latency.p99Ms < P99_TARGET_MS;
    return {
      targetRate: rate,
      durationMs,
      sent: issued,
      acked: acks.length,
      sendErrors,
      firstError,
      deliveriesExpected: sentOk * this.agents,
      delivered: this.latencies.length,
      fullyDelivered: this.fullyDelivered,
      achievedRate: Math.round(achievedRate * 10) / 10,
      saturated,
      latency,
      deliveredLatency: {
        medianMs: round(pct(delivered, 0.5)),
        p99Ms: round(pct(delivered, 0.99)),
      },
      lostMessages: lost.length,
      lostOvertaken,
      lostSeqs: lost.slice(0, 20).map((p) => p.storedSeq as number),
      outOfSeqOrder: this.outOfSeqOrder,
      ack: {
        medianMs: round(pct(acks, 0.5)),
        p99Ms: round(pct(acks, 0.99)),
        slowest: ackTimes.sort((a, b) => b.ms - a.ms).slice(0, 10),
      },
      clientLoopDelayP99Ms: round(loop.percentile(99) / 1e6),
      clientCpuMs: Math.round((cpuAfter.user + cpuAfter.system) / 1000),
      serverCpuMs,
      serverLoop,
      postgresCpuMs: Math.round((namedAfter.postgres ?? 0) - (namedBefore.postgres ?? 0)),
      redisCpuMs: Math.round(
        (namedAfter["redis-server"] ?? 0) - (namedBefore["redis-server"] ?? 0),
      ),
      machineBusy:
        Math.round(
          ((machineAfter.busy - machineBefore.busy) /
            Math.max(1, machineAfter.total - machineBefore.total)) *
            100,
        ) / 100,
      perMessage,
      passed,
    };
  }
}
