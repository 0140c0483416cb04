ALTER TABLE "conversations" ADD COLUMN "last_public_seq" bigint;--> statement-breakpoint
-- Existing conversations start from their newest public message.
UPDATE "conversations" SET "last_public_seq" = (
  SELECT max("messages"."seq") FROM "messages"
  WHERE "messages"."conversation_id" = "conversations"."id" AND NOT "messages"."private"
);
