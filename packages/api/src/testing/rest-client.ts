// A REST client built from nothing but the OpenAPI document, with plain fetch,
// as a service in another language would build one from its generator: it
// finds an operation by id, puts the input's fields where the document says
// (path, query or JSON body), and checks each answer against the document.
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

type Parameter = { in: "path" | "query" | "header"; name: string; required?: boolean };
type Operation = {
  operationId: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, unknown>;
};
export type OpenApiDocument = {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
};

export type RestOperation = Operation & { method: string; path: string };

/** Every operation of the document, in its order. */
export function operationsOf(document: OpenApiDocument): RestOperation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ ...operation, method, path })),
  );
}

export type RestAnswer = { status: number; body: unknown; headers: Headers };

export function restClient(document: OpenApiDocument, { apiKey }: { apiKey?: string }) {
  const operations = new Map(operationsOf(document).map((op) => [op.operationId, op]));
  const server = document.servers[0]?.url;
  if (!server) throw new Error("the document names no server");
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, "openapi.json");

  /** The request for `operationId` with `input`: path parameters, then query or body. */
  function request(operationId: string, input: Record<string, unknown> = {}) {
    const op = operations.get(operationId);
    if (!op) throw new Error(`the document has no operation ${operationId}`);
    const rest = { ...input };
    let path = op.path;
    for (const param of op.parameters ?? []) {
      if (param.in !== "path") continue;
      const value = rest[param.name];
      if (value === undefined) throw new Error(`${operationId} needs ${param.name}`);
      path = path.replace(`{${param.name}}`, encodeURIComponent(String(value)));
      delete rest[param.name];
    }
    const url = new URL(`${server}${path}`);
    const headers: Record<string, string> = {};
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    let body: string | undefined;
    if (op.requestBody) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(rest);
    } else {
      for (const param of op.parameters ?? []) {
        const value = rest[param.name];
        if (param.in !== "query" || value === undefined) continue;
        for (const item of Array.isArray(value) ? value : [value]) {
          url.searchParams.append(param.name, String(item));
        }
      }
    }
    return { op, url, init: { method: op.method.toUpperCase(), headers, body } };
  }

  /** The schema the document gives for `op`'s answer with `status`, or null if undocumented. */
  function responseSchema(op: RestOperation, status: number) {
    const response = op.responses[String(status)] as
      | { content?: Record<string, { schema?: unknown }> }
      | undefined;
    if (!response) return null;
    const pointer = ["paths", op.path, op.method, "responses", String(status)]
      .map((part) => part.replaceAll("~", "~0").replaceAll("/", "~1"))
      .join("/");
    return response.content?.["application/json"]?.schema
      ? { $ref: `openapi.json#/${pointer}/content/application~1json/schema` }
      : {};
  }

  return {
    operation: (operationId: string) => request(operationId).op,
    /**
     * Calls the operation. Throws if the answer's status is not one the
     * document lists for it, or its body does not match the documented schema.
     */
    async call(operationId: string, input?: Record<string, unknown>): Promise<RestAnswer> {
      const { op, url, init } = request(operationId, input);
      const res = await fetch(url, init);
      const text = await res.text();
      const body: unknown = text ? JSON.parse(text) : undefined;
      const schema = responseSchema(op, res.status);
      if (!schema) {
        throw new Error(
          `${operationId} answered ${res.status}, which it does not document: ${text}`,
        );
      }
      const validate = ajv.compile(schema);
      if (!validate(body)) {
        throw new Error(
          `${operationId}'s ${res.status} answer does not match the document: ${ajv.errorsText(validate.errors)}\n${text.slice(0, 2000)}`,
        );
      }
      return { status: res.status, body, headers: res.headers };
    },
  };
}

export type RestClient = ReturnType<typeof restClient>;
