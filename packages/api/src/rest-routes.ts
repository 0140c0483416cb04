// How a procedure declares its REST route (served under /api/v1, described by
// the OpenAPI document: rest.ts). Only procedures an API key may call have one:
// REST authenticates by API key alone.
import type { OpenApiMethod } from "trpc-to-openapi";
import type { ProcedureMeta } from "./trpc";

/** The sections of the API reference, in the order it lists them. */
export const REST_TAGS = [
  "Conversations",
  "Messages",
  "Customers",
  "Customer notes",
  "Companies",
  "Tags",
  "Webhooks",
  "Inboxes",
  "Team",
] as const;
export type RestTag = (typeof REST_TAGS)[number];

/**
 * Statuses a route may answer besides 200: bad input, no or an invalid key, a
 * key without the scope (or a member without the role), an id the account
 * does not have, a conflict (a duplicate name, a reused clientMessageId), the
 * key's rate limit (with Retry-After); and for a body, one too large or not JSON.
 */
const ERROR_STATUSES = [400, 401, 403, 404, 409, 429, 500];
const BODY_ERROR_STATUSES = [413, 415];

/**
 * The route builder for one section: `route("GET", "/v1/tags", "List the tags")`
 * gives the meta for `.meta(...)`. Path parameters (`{id}`) name input fields;
 * the other fields come from the query string (GET, DELETE) or the JSON body.
 */
export function restRoutes(tag: RestTag) {
  return (
    method: OpenApiMethod,
    path: `/v1/${string}`,
    summary: string,
    options: { description?: string } = {},
  ): ProcedureMeta => ({
    openapi: {
      method,
      path,
      summary,
      description: options.description,
      tags: [tag],
      protect: true,
      errorResponses: [
        ...ERROR_STATUSES,
        ...(method === "GET" || method === "DELETE" ? [] : BODY_ERROR_STATUSES),
      ].sort((a, b) => a - b),
    },
  });
}
