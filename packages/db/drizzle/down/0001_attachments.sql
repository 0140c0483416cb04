-- Reverts 0001_attachments: drops the attachments table (files included).
DROP TABLE IF EXISTS "attachments";
