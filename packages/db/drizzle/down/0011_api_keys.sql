-- Reverts 0011_api_keys: API keys.
DROP TABLE IF EXISTS "api_keys";
