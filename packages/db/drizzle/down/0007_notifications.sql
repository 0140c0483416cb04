-- Reverts 0007_notifications: mentions, notification preferences, the away message and the report and snooze-sweep indexes.
DROP INDEX IF EXISTS "messages_created_idx";
DROP INDEX IF EXISTS "conversations_created_idx";
DROP INDEX IF EXISTS "conversations_snooze_sweep_idx";
DROP TABLE IF EXISTS "mentions";
ALTER TABLE "memberships" DROP COLUMN IF EXISTS "notification_preferences";
ALTER TABLE "accounts" DROP COLUMN IF EXISTS "away_message";
