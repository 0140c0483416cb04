-- Reverts 0009_slack: Slack connections, threads, imported and posted messages, support channels and received events.
DROP TABLE IF EXISTS "slack_events";
DROP TABLE IF EXISTS "slack_messages";
DROP TABLE IF EXISTS "slack_support_channels";
DROP TABLE IF EXISTS "slack_threads";
DROP TABLE IF EXISTS "slack_connections";
DROP TYPE IF EXISTS "slack_thread_kind";
DROP TYPE IF EXISTS "slack_mode";
DROP TYPE IF EXISTS "slack_connection_status";
