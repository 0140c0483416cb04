-- Reverts 0006_search: the full-text search indexes and the index of customers by company.
DROP INDEX IF EXISTS "customers_company_id_index";
DROP INDEX IF EXISTS "customers_search_idx";
DROP INDEX IF EXISTS "companies_search_idx";
DROP INDEX IF EXISTS "messages_search_idx";
