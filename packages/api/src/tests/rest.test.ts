// The REST surface as declared: the OpenAPI document is a valid 3.1 document,
// every route is a procedure an API key may call (and every such procedure of
// the REST routers has a route), and a GET route's inputs read the same from a
// query string as from tRPC; a rate-limited key gets 429 with Retry-After.
// Every route over a running server: apps/web/src/e2e/rest-api.e2e.test.ts.
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { handleRestRequest, OPENAPI_DOCUMENT_PATH, openApiDocument, restRouter } from "../rest";
import { REST_TAGS } from "../rest-routes";
import { appRouter } from "../root";
import { createTestRuntime, signUpAccount } from "../testing";
import { operationsOf } from "../testing/rest-client";
import type { ProcedureMeta } from "../trpc";

type ProcedureDef = {
  type: "query" | "mutation" | "subscription";
  meta?: ProcedureMeta;
  inputs: unknown[];
};
const defOf = (procedure: unknown) => (procedure as { _def: ProcedureDef })._def;

const restProcedures = Object.entries(restRouter._def.procedures).map(([path, procedure]) => ({
  path,
  ...defOf(procedure),
}));

describe("the OpenAPI document", () => {
  const document = openApiDocument("https://netia.example");

  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(JSON.stringify(document)));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("is generated once per server address", () => {
    expect(openApiDocument("https://netia.example")).toBe(document);
    expect(openApiDocument("https://other.example").servers).toEqual([
      { url: "https://other.example/api" },
    ]);
    expect(OPENAPI_DOCUMENT_PATH).toBe("/api/v1/openapi.json");
  });

  it("documents each route with its section, a summary, the bearer key and its errors", () => {
    const operations = operationsOf(document as never);
    expect(operations.length).toBe(restProcedures.filter((p) => p.meta?.openapi).length);
    for (const op of operations) {
      expect(REST_TAGS, op.operationId).toContain(op.tags?.[0]);
      expect(op.path, op.operationId).toMatch(/^\/v1\//);
      expect((op as { summary?: string }).summary, op.operationId).toBeTruthy();
      expect((op as { security?: unknown }).security).toEqual([{ apiKey: [] }]);
      for (const status of ["200", "400", "401", "403", "404", "429"]) {
        expect(op.responses, `${op.operationId} ${status}`).toHaveProperty(status);
      }
    }
  });

  it("describes the error body REST sends", () => {
    const schemas = document.components?.schemas ?? {};
    expect(schemas["error.UNAUTHORIZED"]).toMatchObject({
      type: "object",
      required: ["code", "message"],
      properties: { code: {}, message: {}, fieldErrors: {}, retryAfter: {} },
    });
  });
});

describe("which procedures REST serves", () => {
  it("serves only procedures an API key may call, and every one of them in its routers", () => {
    for (const procedure of restProcedures) {
      const { apiKey, openapi } = procedure.meta ?? {};
      if (openapi) expect(apiKey, `${procedure.path} has a route but refuses keys`).toBeDefined();
      if (apiKey && procedure.type !== "subscription") {
        expect(openapi, `${procedure.path} takes keys but has no REST route`).toBeDefined();
      }
    }
  });

  it("serves at least one route of each router it lists", () => {
    for (const name of Object.keys(restRouter._def.record)) {
      const routes = restProcedures.filter((p) => p.path.startsWith(`${name}.`) && p.meta?.openapi);
      expect(routes.length, `${name} is listed but serves nothing`).toBeGreaterThan(0);
    }
  });

  it("gives no route to a procedure outside the REST routers", () => {
    const outside = Object.entries(appRouter._def.procedures)
      .filter(([path]) => !(path in restRouter._def.procedures))
      .filter(([, procedure]) => defOf(procedure).meta?.openapi)
      .map(([path]) => path);
    expect(outside).toEqual([]);
  });

  it("names each procedure as the app router does", () => {
    for (const { path } of restProcedures) {
      expect(Object.keys(appRouter._def.procedures), path).toContain(path);
      expect(restRouter._def.procedures[path as never]).toBe(
        appRouter._def.procedures[path as never],
      );
    }
  });

  // The REST adapter makes a GET input's number, boolean and date fields coerce
  // from text, on the shared schema, at its first call. Declared coercing
  // already, they behave the same over tRPC before and after any REST call.
  it("declares coercion on every number, boolean or date field a GET route reads", () => {
    const fixed: string[] = [];
    for (const { path, meta, inputs } of restProcedures) {
      if (meta?.openapi?.method !== "GET" && meta?.openapi?.method !== "DELETE") continue;
      const input = inputs[0] as { shape?: Record<string, unknown> } | undefined;
      for (const [field, schema] of Object.entries(input?.shape ?? {})) {
        const inner = unwrap(schema);
        if (["number", "boolean", "bigint", "date"].includes(inner.type) && !inner.coerce) {
          fixed.push(`${path}.${field}`);
        }
      }
    }
    expect(fixed).toEqual([]);
  });
});

describe("a rate-limited key", () => {
  it("gets 429 with Retry-After, in the header and the body", async () => {
    const rt = await createTestRuntime({
      rateLimits: { signUpPerIp: 1e6, loginPerIp: 1e6, apiKeyPerKey: 2 },
    });
    try {
      const { admin } = await signUpAccount(rt);
      const { secret } = await admin.apiKeys.create({ label: "busy", scopes: ["read"] });
      const call = () =>
        handleRestRequest(
          rt,
          new Request("https://netia.example/api/v1/tags", {
            headers: { authorization: `Bearer ${secret}` },
          }),
          { ip: "203.0.113.9" },
        );
      expect((await call()).status).toBe(200);
      expect((await call()).status).toBe(200);
      const limited = await call();
      expect(limited.status).toBe(429);
      const seconds = Number(limited.headers.get("retry-after"));
      expect(seconds).toBeGreaterThan(0);
      expect(await limited.json()).toEqual({
        code: "TOO_MANY_REQUESTS",
        message: expect.any(String),
        retryAfter: seconds,
      });
    } finally {
      await rt.database.close();
    }
  });
});

describe("a POST whose input is all in its path", () => {
  it("needs no body", async () => {
    const rt = await createTestRuntime();
    try {
      const { admin } = await signUpAccount(rt);
      const { secret } = await admin.apiKeys.create({ label: "admin", scopes: ["admin"] });
      const { endpoint } = await admin.webhooks.create({
        url: "https://93.184.215.14/hook",
        eventTypes: ["message.created"],
      });
      const res = await handleRestRequest(
        rt,
        new Request(`https://netia.example/api/v1/webhooks/${endpoint.id}/rotate-secret`, {
          method: "POST",
          headers: { authorization: `Bearer ${secret}` },
        }),
        { ip: "203.0.113.9" },
      );
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ secret: expect.any(String) });
    } finally {
      await rt.database.close();
    }
  });
});

type ZodDef = { type: string; coerce?: boolean; innerType?: unknown };
function unwrap(schema: unknown): ZodDef {
  const def = (schema as { _zod: { def: ZodDef } })._zod.def;
  return ["optional", "nullable", "default", "prefault"].includes(def.type) && def.innerType
    ? unwrap(def.innerType)
    : def;
}
