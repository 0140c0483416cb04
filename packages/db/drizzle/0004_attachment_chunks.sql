CREATE TABLE "attachment_chunks" (
	"attachment_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "attachment_chunks_attachment_id_seq_pk" PRIMARY KEY("attachment_id","seq")
);
--> statement-breakpoint
ALTER TABLE "attachment_chunks" ADD CONSTRAINT "attachment_chunks_attachment_id_attachments_id_fk" FOREIGN KEY ("attachment_id") REFERENCES "public"."attachments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Existing files move into chunks of 256 KiB, as new uploads are written.
INSERT INTO "attachment_chunks" ("attachment_id", "seq", "data")
SELECT "a"."id", "g"."n", substring("a"."data" FROM "g"."n" * 262144 + 1 FOR 262144)
FROM "attachments" "a",
  generate_series(0, greatest(ceil(length("a"."data") / 262144.0)::int - 1, 0)) AS "g"("n");--> statement-breakpoint
ALTER TABLE "attachments" DROP COLUMN "data";
