DROP INDEX "customers_external_id_idx";--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "verified" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- A customer who ever opened a verified widget session was proven by the host.
UPDATE "customers" SET "verified" = true
WHERE EXISTS (
  SELECT 1 FROM "widget_sessions"
  WHERE "widget_sessions"."customer_id" = "customers"."id" AND "widget_sessions"."verified"
);--> statement-breakpoint
CREATE UNIQUE INDEX "customers_external_id_idx" ON "customers" USING btree ("account_id","external_id","verified") WHERE "customers"."external_id" is not null;
