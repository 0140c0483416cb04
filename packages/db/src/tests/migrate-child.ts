// Run as a separate process by migrate.test.ts: migrates the database at argv[2].
import { createDatabase, migrate } from "../index";

const database = createDatabase({
  kind: "postgres",
  url: process.argv[2] ?? "",
  ssl: false,
  poolSize: 2,
});
try {
  await migrate(database);
  console.log("migrated");
} finally {
  await database.close();
}
