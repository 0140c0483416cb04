-- Reverts 0013_delivery_retention: the index the retention sweep reads webhook deliveries by.
DROP INDEX IF EXISTS "webhook_deliveries_created_idx";
