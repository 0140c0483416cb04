-- Reverts 0000_init: drops every table and type it created (data included).
DROP TABLE IF EXISTS "saved_replies", "customer_tags", "conversation_tags", "tags",
  "messages", "conversations", "widget_sessions", "customer_notes", "customers", "companies",
  "widget_settings", "inboxes", "invitations", "memberships", "accounts",
  "verifications", "credentials", "sessions", "users" CASCADE;
DROP TYPE IF EXISTS "sender_type", "message_type", "conversation_priority",
  "conversation_status", "conversation_channel", "role";
