// The retention sweep end to end on a migrated database: scheduled daily on
// start, and a run removes exactly what is past its retention: settled webhook
// deliveries after 30 days (never a pending one), handled Slack requests after
// 7 days (never an unhandled one), Stripe events after 30 days.
import { randomUUID } from "node:crypto";
import { testConfig } from "@netia/config/testing";
import { createLogger, RETENTION } from "@netia/core";
import { schema } from "@netia/db";
import { openEmptyDatabase } from "@netia/db/testing";
import { createMemoryBus } from "@netia/realtime";
import { sql } from "drizzle-orm";
import { expect, it, vi } from "vitest";
import { createJobs } from "../../jobs";

const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);

it("is scheduled daily and removes only records past their retention", async () => {
  const { database, dispose } = await openEmptyDatabase();
  const db = database.db;
  const jobs = createJobs({
    database,
    context: {
      db,
      bus: createMemoryBus(),
      logger: createLogger("silent"),
      config: testConfig(),
      ai: null,
    },
    pollingIntervalSeconds: 0.5,
  });
  try {
    await jobs.start();
    const schedules = (await db.execute(
      sql`select name, cron from pgboss.schedule`,
    )) as unknown as { rows: { name: string; cron: string }[] };
    expect(schedules.rows).toContainEqual({
      name: "maintenance.prune-records",
      cron: "17 3 * * *",
    });

    const [account] = await db
      .insert(schema.accounts)
      .values({ companyName: "Retention" })
      .returning({ id: schema.accounts.id });
    const accountId = account?.id as string;
    const [endpoint] = await db
      .insert(schema.webhookEndpoints)
      .values({ accountId, url: "https://hooks.example.com/in", secretEncrypted: "x" })
      .returning({ id: schema.webhookEndpoints.id });
    const old = RETENTION.webhookDeliveriesDays + 1;
    const delivery = (name: string, status: "pending" | "delivered" | "failed", days: number) => ({
      accountId,
      endpointId: endpoint?.id as string,
      eventId: `evt_${name}`,
      eventType: "message.created",
      webhookId: `msg_${name}`,
      payload: {},
      status,
      createdAt: daysAgo(days),
    });
    await db
      .insert(schema.webhookDeliveries)
      .values([
        delivery("old-delivered", "delivered", old),
        delivery("old-failed", "failed", old),
        delivery("old-pending", "pending", old),
        delivery("recent-delivered", "delivered", old - 2),
      ]);
    const slack = (slackId: string, days: number, handled: boolean) => ({
      slackId,
      kind: "event",
      accountId,
      payload: {},
      receivedAt: daysAgo(days),
      processedAt: handled ? daysAgo(days) : null,
    });
    await db
      .insert(schema.slackEvents)
      .values([
        slack("old-handled", RETENTION.slackEventsDays + 1, true),
        slack("old-unhandled", RETENTION.slackEventsDays + 1, false),
        slack("recent-handled", RETENTION.slackEventsDays - 1, true),
      ]);
    await db.insert(schema.stripeEvents).values([
      { id: `evt_old_${randomUUID()}`, type: "invoice.paid", receivedAt: daysAgo(31) },
      { id: "evt_recent", type: "invoice.paid", receivedAt: daysAgo(29) },
    ]);

    await jobs.enqueue(db, "maintenance.prune-records", {});
    await vi.waitFor(
      async () => {
        const deliveries = await db
          .select({ id: schema.webhookDeliveries.eventId })
          .from(schema.webhookDeliveries);
        expect(deliveries.map((d) => d.id).sort()).toEqual([
          "evt_old-pending",
          "evt_recent-delivered",
        ]);
      },
      { timeout: 20_000, interval: 100 },
    );
    const slackLeft = await db.select({ id: schema.slackEvents.slackId }).from(schema.slackEvents);
    expect(slackLeft.map((e) => e.id).sort()).toEqual(["old-unhandled", "recent-handled"]);
    const stripeLeft = await db.select({ id: schema.stripeEvents.id }).from(schema.stripeEvents);
    expect(stripeLeft.map((e) => e.id)).toEqual(["evt_recent"]);
  } finally {
    await jobs.stop();
    await dispose();
  }
});
