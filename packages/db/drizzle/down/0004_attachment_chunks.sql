-- Reverts 0004_attachment_chunks: puts each file's chunks back together into
-- attachments.data, then drops the chunks table.
ALTER TABLE "attachments" ADD COLUMN "data" bytea;
UPDATE "attachments" SET "data" = coalesce(
  (SELECT string_agg("c"."data", ''::bytea ORDER BY "c"."seq")
   FROM "attachment_chunks" "c" WHERE "c"."attachment_id" = "attachments"."id"),
  ''::bytea
);
ALTER TABLE "attachments" ALTER COLUMN "data" SET NOT NULL;
DROP TABLE IF EXISTS "attachment_chunks";
