-- Reverts 0003_identity_kind: one customer per external id again. Where a verified
-- and an unverified customer share an external id, the unverified one keeps its
-- conversations but loses the external id (it was only ever a claim).
DROP INDEX IF EXISTS "customers_external_id_idx";
UPDATE "customers" SET "external_id" = NULL
WHERE NOT "verified" AND "external_id" IS NOT NULL AND EXISTS (
  SELECT 1 FROM "customers" AS "proven"
  WHERE "proven"."account_id" = "customers"."account_id"
    AND "proven"."external_id" = "customers"."external_id" AND "proven"."verified"
);
ALTER TABLE "customers" DROP COLUMN IF EXISTS "verified";
CREATE UNIQUE INDEX "customers_external_id_idx" ON "customers" USING btree ("account_id","external_id") WHERE "customers"."external_id" is not null;
