// What every inbound handler works with: the process's dependencies, the
// workspace's connection and its client, and Slack's message event as parsed.
import type { Config } from "@netia/config";
import type { Logger, WriteDeps } from "@netia/core";
import { type Db, schema } from "@netia/db";
import type { WebClient } from "@slack/web-api";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { SlackConnection } from "../connections";

/** A job's context satisfies it. */
export type InboundDeps = WriteDeps & { config: Config; logger: Logger };

export type Inbound = {
  deps: InboundDeps;
  connection: SlackConnection;
  client: WebClient;
};

/** A `message` event, as much of it as Netia reads. */
export const ZSlackMessageEvent = z.object({
  type: z.literal("message"),
  channel: z.string().min(1),
  user: z.string().optional(),
  text: z.string().default(""),
  ts: z.string().min(1),
  thread_ts: z.string().optional(),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
});
export type SlackMessageEvent = z.infer<typeof ZSlackMessageEvent>;

/** Subtypes that are a person writing; the rest (joins, edits, deletions, bots) are not imported. */
export const WRITTEN_SUBTYPES = new Set([undefined, "thread_broadcast", "file_share"]);

/** The idempotency key of the Netia message a Slack message becomes. */
export const slackClientMessageId = (channel: string, ts: string) => `slack:${channel}:${ts}`;

/** Whether this Slack message was imported (or posted) already. */
export async function knownSlackMessage(
  db: Db,
  accountId: string,
  channel: string,
  ts: string,
): Promise<boolean> {
  const [row] = await db
    .select({ ts: schema.slackMessages.ts })
    .from(schema.slackMessages)
    .where(
      and(
        eq(schema.slackMessages.accountId, accountId),
        eq(schema.slackMessages.channelId, channel),
        eq(schema.slackMessages.ts, ts),
      ),
    )
    .limit(1);
  return !!row;
}

/** What a message imported from Slack records of its author, shown in the dashboard. */
export function slackMetadata(person: { id: string; name: string }, matched: boolean) {
  return {
    via: "slack",
    slack: { userId: person.id, userName: person.name, ...(!matched && { unmatched: true }) },
  };
}
