// The REST API (/api/v1, docs/rest-api.md): the same procedures as tRPC,
// served by trpc-to-openapi from the routes they declare (rest-routes.ts), and
// the OpenAPI 3.1 document that describes them. One implementation, two ways in.
import type { Runtime } from "@netia/runtime";
import {
  createOpenApiFetchHandler,
  generateOpenApiDocument,
  type OpenAPIObject,
} from "trpc-to-openapi";
import { z } from "zod";
import { REST_TAGS } from "./rest-routes";
import { companiesRouter } from "./routers/companies";
import { conversationsRouter } from "./routers/conversations";
import { customersRouter } from "./routers/customers";
import { inboxesRouter } from "./routers/inboxes";
import { messagesRouter } from "./routers/messages";
import { notesRouter } from "./routers/notes";
import { tagsRouter } from "./routers/tags";
import { teamRouter } from "./routers/team";
import { webhooksRouter } from "./routers/webhooks";
import { createContext, inputProblem, router } from "./trpc";

/**
 * The routers whose procedures are served over REST, under the same names as
 * in the app router. Each procedure with a route in its meta is served; a
 * router added here must give a route to every procedure an API key may call
 * (rest.test.ts checks it).
 */
export const restRouter = router({
  conversations: conversationsRouter,
  messages: messagesRouter,
  notes: notesRouter,
  customers: customersRouter,
  companies: companiesRouter,
  tags: tagsRouter,
  webhooks: webhooksRouter,
  inboxes: inboxesRouter,
  team: teamRouter,
});

/** Where the REST API is mounted: its routes' paths (/v1/...) are relative to it. */
export const REST_BASE_PATH = "/api";
/** The document's stable address, on the app's URL. */
export const OPENAPI_DOCUMENT_PATH = "/api/v1/openapi.json";

/** Every REST error's body. */
export const ZRestError = z
  .object({
    code: z.string().meta({
      description: "BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, TOO_MANY_REQUESTS…",
    }),
    message: z.string().meta({ description: "Says what to fix, in words a person reads" }),
    fieldErrors: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .meta({ description: "For bad input: the problems of each field, by its dotted path" }),
    retryAfter: z
      .number()
      .optional()
      .meta({ description: "For 429: seconds until a call may succeed (also Retry-After)" }),
  })
  .meta({ description: "What went wrong" });
export type RestError = z.infer<typeof ZRestError>;

const documents = new Map<string, OpenAPIObject>();

/** The OpenAPI document for a server at `appUrl`, generated once per process. */
export function openApiDocument(appUrl: string): OpenAPIObject {
  let document = documents.get(appUrl);
  if (!document) {
    document = withRestErrors(
      generateOpenApiDocument(restRouter, {
        title: "Netia REST API",
        version: "1",
        description:
          "Conversations, messages, customers, companies, tags and webhooks of one Netia account. " +
          "Authenticate with an API key (Settings → API keys) as `Authorization: Bearer <key>`; " +
          "the key acts as the member who made it, within its scopes (read, write, admin).",
        baseUrl: `${appUrl.replace(/\/$/, "")}${REST_BASE_PATH}`,
        tags: [...REST_TAGS],
        securitySchemes: {
          apiKey: { type: "http", scheme: "bearer", description: "An API key: netia_live_…" },
        },
      }),
    );
    documents.set(appUrl, document);
  }
  return document;
}

/** The generator's error schemas (`error.<CODE>`) describe the body errorBody() sends. */
function withRestErrors(document: OpenAPIObject): OpenAPIObject {
  const { $schema: _, ...schema } = z.toJSONSchema(ZRestError, { io: "output" });
  const schemas = document.components?.schemas ?? {};
  for (const [name, component] of Object.entries(schemas)) {
    const code = name.match(/^error\.(\w+)$/)?.[1];
    if (!code) continue;
    const { title } = component as { title?: string };
    const message = title?.replace(/ error \(\d+\)$/, "") ?? code;
    schemas[name] = { ...schema, title, example: { code, message } } as (typeof schemas)[string];
  }
  return document;
}

/**
 * Answers one REST request. REST authenticates by API key only: the session
 * cookie is dropped, so a page on another site cannot act as a signed-in
 * agent through these routes (and REST needs no same-origin check).
 */
export async function handleRestRequest(
  runtime: Runtime,
  req: Request,
  { ip }: { ip: string | null },
): Promise<Response> {
  const response = await createOpenApiFetchHandler({
    endpoint: REST_BASE_PATH,
    req: await withJsonBody(req),
    router: restRouter,
    createContext: ({ req: request }: { req: Request }) => {
      const headers = new Headers(request.headers);
      headers.delete("cookie");
      return createContext({ runtime, headers, resHeaders: new Headers(), ip });
    },
    // What procedures set on the response (Retry-After on a 429) goes out with it.
    responseMeta: ({ ctx }: { ctx?: ReturnType<typeof createContext> }) => ({
      headers: ctx ? Object.fromEntries(ctx.resHeaders) : {},
    }),
  });
  return response.ok ? response : errorBody(response);
}

/**
 * A POST, PUT or PATCH whose input is all in its path (POST /v1/webhooks/{id}/test)
 * may come without a body; the adapter wants JSON for those methods, so it gets `{}`.
 */
async function withJsonBody(req: Request): Promise<Request> {
  if (!["POST", "PUT", "PATCH"].includes(req.method) || req.headers.get("content-type")) {
    return req;
  }
  if ((await req.clone().text()) !== "") return req;
  const headers = new Headers(req.headers);
  headers.set("content-type", "application/json");
  return new Request(req.url, { method: req.method, headers, body: "{}" });
}

/**
 * The adapter's error body carries tRPC's internals (the JSON-RPC code, zod's
 * raw issues, a generic "Input validation failed"): REST clients get the code,
 * the readable message the dashboard shows, and the details that help.
 */
async function errorBody(response: Response): Promise<Response> {
  const raw = (await response.json()) as {
    code?: string;
    message?: string;
    issues?: z.core.$ZodIssue[];
    data?: { fieldErrors?: Record<string, string[]>; retryAfter?: number };
  };
  const body: RestError = {
    code: raw.code ?? "INTERNAL_SERVER_ERROR",
    message: raw.issues?.length ? inputProblem({ issues: raw.issues }) : (raw.message ?? "Error"),
    fieldErrors: raw.data?.fieldErrors,
    retryAfter: raw.data?.retryAfter,
  };
  return Response.json(body, { status: response.status, headers: response.headers });
}
