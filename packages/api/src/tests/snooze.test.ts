// Snooze end to end: the wake-up job is written with the snooze, runs at the
// chosen time with nobody writing, survives a restart of the process, and a
// wake-up that no longer applies (re-snoozed, answered) changes nothing.
import { randomUUID } from "node:crypto";
import { type Database, schema } from "@netia/db";
import { channels } from "@netia/realtime";
import { closeRuntime, type Runtime } from "@netia/runtime";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestRuntime, newVisitor, openEmptyDatabase, signUpAccount } from "../testing";

const WAIT = { timeout: 20_000, interval: 100 };
const FAST_JOBS = { pollingIntervalSeconds: 0.5 };

async function wakeJobs(database: Database, conversationId: string) {
  const result = (await database.db.execute(
    sql`select state, start_after from pgboss.job
        where name = 'conversations.wake-snoozed' and data->>'conversationId' = ${conversationId}
        order by created_on`,
  )) as unknown as { rows: { state: string; start_after: Date }[] };
  return result.rows;
}

async function statusOf(rt: Runtime, id: string) {
  const [row] = await rt.db
    .select({
      status: schema.conversations.status,
      snoozedUntil: schema.conversations.snoozedUntil,
    })
    .from(schema.conversations)
    .where(eq(schema.conversations.id, id));
  return row;
}

async function conversationOf(rt: Runtime) {
  const owner = await signUpAccount(rt);
  const visitor = await newVisitor(rt, owner.account.id);
  const { conversationId } = await visitor.widget.widget.sendMessage({
    body: "hello",
    clientMessageId: randomUUID(),
  });
  return { ...owner, visitor, conversationId };
}

const inSeconds = (s: number) => new Date(Date.now() + s * 1000);

describe("on the shared database", () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await createTestRuntime({ jobs: FAST_JOBS });
  });
  afterAll(async () => {
    await closeRuntime(rt);
  });

  it("wakes at the chosen time with nobody writing, and tells the dashboard", async () => {
    const { admin, account, conversationId } = await conversationOf(rt);
    const until = inSeconds(2);
    const updates: string[] = [];
    const stop = await rt.bus.subscribe(channels.account(account.id), (e) => {
      const event = e as { type: string; conversationId?: string };
      if (event.type === "conversation.updated" && event.conversationId === conversationId) {
        updates.push(event.type);
      }
    });
    try {
      const snoozed = await admin.conversations.snooze({
        id: conversationId,
        until: until.toISOString(),
      });
      expect(snoozed).toMatchObject({ status: "snoozed", snoozedUntil: until.toISOString() });
      // The wake-up was written with the snooze, due at the snooze's end.
      const [job] = await wakeJobs(rt.database, conversationId);
      expect(new Date(job?.start_after ?? 0).getTime()).toBe(until.getTime());
      expect((await admin.conversations.list({ view: "snoozed" })).items.map((c) => c.id)).toEqual([
        conversationId,
      ]);

      await vi.waitFor(async () => {
        expect(await statusOf(rt, conversationId)).toEqual({ status: "open", snoozedUntil: null });
      }, WAIT);
      expect(Date.now()).toBeGreaterThanOrEqual(until.getTime());
      await vi.waitFor(async () => {
        expect((await wakeJobs(rt.database, conversationId)).map((j) => j.state)).toEqual([
          "completed",
        ]);
      }, WAIT);
      const all = await admin.conversations.list({ view: "all" });
      expect(all.items[0]?.id).toBe(conversationId);
      // Once for the snooze, once for the wake-up.
      await vi.waitFor(() => expect(updates.length).toBeGreaterThanOrEqual(2), WAIT);
    } finally {
      stop();
    }
  });

  it("leaves a re-snoozed conversation asleep when the first wake-up comes due", async () => {
    const { admin, conversationId } = await conversationOf(rt);
    await admin.conversations.snooze({ id: conversationId, until: inSeconds(1).toISOString() });
    const later = inSeconds(3600);
    await admin.conversations.snooze({ id: conversationId, until: later.toISOString() });
    await vi.waitFor(async () => {
      const states = (await wakeJobs(rt.database, conversationId)).map((j) => j.state);
      expect(states).toEqual(["completed", "created"]);
    }, WAIT);
    expect(await statusOf(rt, conversationId)).toEqual({ status: "snoozed", snoozedUntil: later });
  });

  it("a customer message wakes it early, and the wake-up then changes nothing", async () => {
    const { admin, visitor, conversationId } = await conversationOf(rt);
    await admin.conversations.snooze({ id: conversationId, until: inSeconds(2).toISOString() });
    await visitor.widget.widget.sendMessage({
      conversationId,
      body: "still there?",
      clientMessageId: randomUUID(),
    });
    expect(await statusOf(rt, conversationId)).toEqual({ status: "open", snoozedUntil: null });
    // The agent closes it before the old wake-up is due: it must stay closed.
    await admin.conversations.update({ id: conversationId, status: "closed" });
    await vi.waitFor(async () => {
      expect((await wakeJobs(rt.database, conversationId)).map((j) => j.state)).toEqual([
        "completed",
      ]);
    }, WAIT);
    expect((await statusOf(rt, conversationId))?.status).toBe("closed");
  });

  it("the minute sweep wakes a snoozed conversation past its time that has no job", async () => {
    const { admin, conversationId } = await conversationOf(rt);
    const past = new Date(Date.now() - 60_000);
    await rt.db
      .update(schema.conversations)
      .set({ status: "snoozed", snoozedUntil: past })
      .where(eq(schema.conversations.id, conversationId));
    const ahead = (await conversationOf(rt)).conversationId;
    await rt.db
      .update(schema.conversations)
      .set({ status: "snoozed", snoozedUntil: inSeconds(3600) })
      .where(eq(schema.conversations.id, ahead));
    await rt.jobs.enqueue(rt.db, "conversations.wake-snoozed-sweep", {});
    await vi.waitFor(async () => {
      expect((await statusOf(rt, conversationId))?.status).toBe("open");
    }, WAIT);
    expect((await statusOf(rt, ahead))?.status).toBe("snoozed");
    expect((await admin.conversations.get({ id: conversationId })).snoozedUntil).toBeNull();
  });
});

it("a snooze made before a restart still wakes on the next process", async () => {
  const { database, dispose } = await openEmptyDatabase();
  // The first process only enqueues, so the wake-up cannot run there.
  const first = await createTestRuntime({ database, jobs: { ...FAST_JOBS, work: false } });
  let second: Runtime | undefined;
  try {
    const { admin, conversationId } = await conversationOf(first);
    await admin.conversations.snooze({ id: conversationId, until: inSeconds(2).toISOString() });
    await first.jobs.stop();
    await first.realtime.close();

    second = await createTestRuntime({ database, jobs: FAST_JOBS });
    await vi.waitFor(async () => {
      expect(await statusOf(second as Runtime, conversationId)).toEqual({
        status: "open",
        snoozedUntil: null,
      });
    }, WAIT);
    await vi.waitFor(async () => {
      const states = await wakeJobs(database, conversationId);
      expect(states.map((j) => j.state)).toEqual(["completed"]);
    }, WAIT);
  } finally {
    if (second) {
      await second.jobs.stop();
      await second.realtime.close();
    }
    await dispose();
  }
});

it("another account's agent cannot snooze a conversation, and nothing is written", async () => {
  const rt = await createTestRuntime({ jobs: FAST_JOBS });
  try {
    const { conversationId } = await conversationOf(rt);
    const rival = await signUpAccount(rt);
    await expect(
      rival.admin.conversations.snooze({ id: conversationId, until: inSeconds(60).toISOString() }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await wakeJobs(rt.database, conversationId)).toEqual([]);
    expect(await statusOf(rt, conversationId)).toEqual({ status: "open", snoozedUntil: null });
  } finally {
    await closeRuntime(rt);
  }
});
