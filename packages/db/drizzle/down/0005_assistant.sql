-- Reverts 0005_assistant: the assistant's settings, knowledge base and runs go,
-- and conversations and inboxes lose their assistant columns.
DROP INDEX IF EXISTS "conversations_handoff_idx";
ALTER TABLE "inboxes" DROP COLUMN IF EXISTS "assistant_enabled";
ALTER TABLE "conversations" DROP COLUMN IF EXISTS "handed_off_at";
ALTER TABLE "conversations" DROP COLUMN IF EXISTS "handoff_reason";
ALTER TABLE "conversations" DROP COLUMN IF EXISTS "answered_by";
DROP TABLE IF EXISTS "assistant_runs";
DROP TABLE IF EXISTS "knowledge_passages";
DROP TABLE IF EXISTS "knowledge_articles";
DROP TABLE IF EXISTS "assistant_settings";
DROP TYPE IF EXISTS "answered_by";
DROP TYPE IF EXISTS "assistant_run_kind";
DROP TYPE IF EXISTS "assistant_outcome";
