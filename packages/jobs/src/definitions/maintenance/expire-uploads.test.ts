// The upload sweep end to end on a migrated database: scheduled on start, and
// a run removes uploads no message carries once they are past the TTL.
import { randomUUID } from "node:crypto";
import { testConfig } from "@netia/config/testing";
import { createLogger } from "@netia/core";
import { migrate, migrationStatus, schema } from "@netia/db";
import { openEmptyDatabase } from "@netia/db/testing";
import { createMemoryBus } from "@netia/realtime";
import { sql } from "drizzle-orm";
import { expect, it, vi } from "vitest";
import { createJobs } from "../../jobs";

it("is scheduled on start and removes only expired unattached uploads", async () => {
  const { database, dispose } = await openEmptyDatabase();
  const db = database.db;
  const jobs = createJobs({
    database,
    context: {
      db,
      bus: createMemoryBus(),
      logger: createLogger("silent"),
      config: testConfig({ UNATTACHED_UPLOAD_TTL_HOURS: "1" }),
      ai: null,
    },
    pollingIntervalSeconds: 0.5,
  });
  try {
    await jobs.start();
    // The queue's schema sits beside drizzle's: migrating again changes nothing.
    await migrate(database);
    expect((await migrationStatus(database)).every((m) => m.applied)).toBe(true);
    const schedules = (await db.execute(
      sql`select name, cron from pgboss.schedule`,
    )) as unknown as { rows: { name: string; cron: string }[] };
    expect(schedules.rows).toContainEqual({
      name: "maintenance.expire-uploads",
      cron: "*/15 * * * *",
    });

    const [account] = await db
      .insert(schema.accounts)
      .values({ companyName: "Sweep" })
      .returning({ id: schema.accounts.id });
    const upload = (createdAt: Date) => ({
      accountId: account?.id as string,
      filename: "a.txt",
      contentType: "text/plain",
      size: 1,
      downloadKey: randomUUID(),
      createdAt,
    });
    const [old, fresh] = await db
      .insert(schema.attachments)
      .values([upload(new Date(Date.now() - 2 * 3_600_000)), upload(new Date())])
      .returning({ id: schema.attachments.id });

    await jobs.enqueue(db, "maintenance.expire-uploads", {});
    await vi.waitFor(
      async () => {
        const left = await db.select({ id: schema.attachments.id }).from(schema.attachments);
        expect(left.map((a) => a.id)).toEqual([fresh?.id]);
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(old?.id).toBeDefined();
  } finally {
    await jobs.stop();
    await dispose();
  }
});
