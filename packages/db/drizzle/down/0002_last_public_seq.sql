-- Reverts 0002_last_public_seq: drops the conversation's newest public message seq.
ALTER TABLE "conversations" DROP COLUMN IF EXISTS "last_public_seq";
