-- Reverts 0008_email: outgoing and incoming mail, email alerts, sweep cursors, Gmail connections and the email settings.
DROP TABLE IF EXISTS "gmail_messages";
DROP TABLE IF EXISTS "gmail_threads";
DROP TABLE IF EXISTS "gmail_connections";
DROP TABLE IF EXISTS "email_alerts";
DROP TABLE IF EXISTS "inbound_emails";
DROP TABLE IF EXISTS "outbound_emails";
DROP TABLE IF EXISTS "sweep_cursors";
DROP TYPE IF EXISTS "gmail_connection_status";
DROP TYPE IF EXISTS "outbound_email_status";
ALTER TABLE "customers" DROP COLUMN IF EXISTS "email_unsubscribed_at";
ALTER TABLE "accounts" DROP COLUMN IF EXISTS "email_sender_name";
ALTER TABLE "accounts" DROP COLUMN IF EXISTS "customer_email_after_minutes";
