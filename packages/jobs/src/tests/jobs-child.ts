// A node in its own process, for the test that kills one mid-job: it runs the
// test jobs on the Postgres database at argv[2] until it is killed.

import { testConfig } from "@netia/config/testing";
import { createLogger } from "@netia/core";
import { createDatabase } from "@netia/db";
import { createMemoryBus } from "@netia/realtime";
import { createJobs } from "../jobs";
import { fastIntervals, testJobs } from "./definitions";

const url = process.argv[2];
if (!url) throw new Error("usage: jobs-child.ts <postgres url>");
const database = createDatabase({ kind: "postgres", url, ssl: false, poolSize: 2 });
const jobs = createJobs({
  database,
  definitions: testJobs,
  context: {
    db: database.db,
    bus: createMemoryBus(),
    logger: createLogger("silent"),
    config: testConfig(),
    ai: null,
  },
  ...fastIntervals,
});
await jobs.start();
process.stdout.write("ready\n");
