-- Reverts 0010_webhooks: webhook endpoints and their deliveries.
DROP TABLE IF EXISTS "webhook_deliveries";
DROP TABLE IF EXISTS "webhook_endpoints";
DROP TYPE IF EXISTS "webhook_delivery_status";
