// What Slack's tests share: an account's workspace installed through the real
// OAuth code exchange against the fake Slack (packages/testkit/src/slack).
import type { Config } from "@netia/config";
import { type Db, schema } from "@netia/db";
import type { FakeSlack } from "@netia/testkit/slack";
import { eq } from "drizzle-orm";
import type { SlackConnection } from "../connections";
import { completeSlackInstall } from "../install";

/** Installs the fake's workspace for the account; posts go to `channel` when given. */
export async function installSlackForTest(
  deps: { db: Db; config: Config },
  fake: FakeSlack,
  input: {
    accountId: string;
    userId?: string | null;
    channel?: { id: string; name: string };
    mode?: "threads" | "alerts";
  },
): Promise<SlackConnection> {
  const connection = await completeSlackInstall(deps, {
    accountId: input.accountId,
    userId: input.userId ?? null,
    code: fake.authorize(),
  });
  if (!input.channel && !input.mode) return connection;
  const [row] = await deps.db
    .update(schema.slackConnections)
    .set({
      ...(input.channel && { channelId: input.channel.id, channelName: input.channel.name }),
      ...(input.mode && { mode: input.mode }),
    })
    .where(eq(schema.slackConnections.id, connection.id))
    .returning();
  return row as SlackConnection;
}
