// @mentions of teammates in replies and notes. The message body carries the
// mention as plain "@Name" text, for people to read; the ids of the mentioned
// teammates travel beside it (`mentionedUserIds`) and are what Netia stores:
// a renamed teammate or two teammates with one name cannot confuse them.
import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { and, count, eq, inArray, isNull, type SQLWrapper, sql } from "drizzle-orm";
import { AppError } from "./errors";
import { publish, type WriteDeps } from "./events";

const { mentions, memberships } = schema;

/** More than this many teammates in one message is not a mention but a broadcast. */
export const MAX_MENTIONS_PER_MESSAGE = 20;

/**
 * The teammates a message by `authorId` mentions: each once, never the author
 * (mentioning oneself notifies nobody). Throws BAD_REQUEST unless every one is
 * an active (not disabled) member of the account, so a mention can neither
 * reach into another team nor wake someone who left.
 */
export async function mentionTargets(
  db: Db,
  input: { accountId: string; authorId: string; mentionedUserIds?: readonly string[] },
): Promise<string[]> {
  const ids = [...new Set(input.mentionedUserIds ?? [])].filter((id) => id !== input.authorId);
  if (ids.length === 0) return [];
  if (ids.length > MAX_MENTIONS_PER_MESSAGE) {
    throw new AppError(
      "BAD_REQUEST",
      `A message can mention at most ${MAX_MENTIONS_PER_MESSAGE} teammates`,
    );
  }
  const active = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(
      and(
        eq(memberships.accountId, input.accountId),
        inArray(memberships.userId, ids),
        isNull(memberships.disabledAt),
      ),
    );
  if (active.length !== ids.length) {
    throw new AppError(
      "BAD_REQUEST",
      "Only active members of your team can be mentioned; remove the other mentions and send again",
    );
  }
  return ids;
}

type MentionedMessage = {
  accountId: string;
  conversationId: string;
  messageId: string;
  mentionedById: string;
};

/** Stores the mentions of a new message; run it on the message's transaction. */
export async function recordMentions(
  db: Db,
  message: MentionedMessage,
  userIds: readonly string[],
): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .insert(mentions)
    .values(userIds.map((userId) => ({ ...message, userId })))
    .onConflictDoNothing();
}

/** After the message committed: one `mention.created` per mentioned teammate. */
export function announceMentions(
  deps: WriteDeps,
  message: MentionedMessage,
  userIds: readonly string[],
): void {
  for (const userId of userIds) {
    publish(deps, { type: "mention.created", ...message, userId });
  }
}

/**
 * `userId` opened the conversation: their mentions in it are read. Returns how
 * many were unread, so the caller knows whether the mentions count changed.
 */
export async function markMentionsRead(
  db: Db,
  input: { accountId: string; conversationId: string; userId: string },
): Promise<number> {
  const read = await db
    .update(mentions)
    .set({ readAt: new Date() })
    .where(
      and(
        eq(mentions.accountId, input.accountId),
        eq(mentions.conversationId, input.conversationId),
        eq(mentions.userId, input.userId),
        isNull(mentions.readAt),
      ),
    )
    .returning({ id: mentions.id });
  return read.length;
}

/** How many of `userId`'s mentions in the conversation are unread. */
export async function countUnreadMentions(
  db: Db,
  input: { accountId: string; conversationId: string; userId: string },
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(mentions)
    .where(
      and(
        eq(mentions.accountId, input.accountId),
        eq(mentions.conversationId, input.conversationId),
        eq(mentions.userId, input.userId),
        isNull(mentions.readAt),
      ),
    );
  return row?.n ?? 0;
}

/**
 * The conversations in which `userId` was mentioned (read or not), as a
 * filter on `conversationId` (qualified: inside the subquery a bare "id"
 * would be the mention's). The subquery walks `mentions_user_idx`
 * (account, user, newest first); `unreadOnly` keeps the unread ones.
 */
export function mentionedIn(
  conversationId: SQLWrapper,
  { accountId, userId, unreadOnly }: { accountId: string; userId: string; unreadOnly?: boolean },
) {
  return sql`${conversationId} in (
    select m.conversation_id from ${mentions} m
    where m.account_id = ${accountId} and m.user_id = ${userId}
    ${unreadOnly ? sql`and m.read_at is null` : sql``}
  )`;
}
