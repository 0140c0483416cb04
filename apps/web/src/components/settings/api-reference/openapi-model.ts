// What the API reference page reads from the OpenAPI document: its operations
// by section, and each schema as rows of fields with a type in words. Only the
// parts of OpenAPI 3.1 that Netia's document uses (JSON Schema 2020-12 types,
// nullable as a type list or anyOf with null, enums, arrays, objects, records,
// $ref to components).

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  required?: string[];
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
};

export type Parameter = {
  in: "path" | "query" | "header";
  name: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
};

type Response = { description?: string; content?: Record<string, { schema?: JsonSchema }> };

export type Operation = {
  operationId: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, Response>;
};

export type OpenApiDocument = {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  tags?: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

export type Route = Operation & { method: string; path: string };

/** The document's operations under its tags, in the document's order. */
export function sections(doc: OpenApiDocument): { tag: string; routes: Route[] }[] {
  const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path })),
  );
  const tags = [
    ...(doc.tags ?? []).map((t) => t.name),
    ...routes.flatMap((r) => r.tags ?? []),
    "Other",
  ];
  return [...new Set(tags)]
    .map((tag) => ({
      tag,
      routes: routes.filter((r) => (r.tags?.[0] ?? "Other") === tag),
    }))
    .filter((section) => section.routes.length > 0);
}

/** The schema a local $ref points at ("#/components/schemas/X"). */
export function resolve(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace("#/components/schemas/", "");
  return doc.components?.schemas?.[name] ?? {};
}

const withoutNull = (types: string[]) => types.filter((t) => t !== "null");

/** A schema's type in a few words: "string (uuid)", "open | closed", "Tag[]", "integer ≤ 100". */
export function typeOf(doc: OpenApiDocument, raw: JsonSchema): string {
  const schema = resolve(doc, raw);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    const named = variants.filter((v) => v.type !== "null").map((v) => typeOf(doc, v));
    const nullable = variants.length > named.length;
    return `${named.join(" | ")}${nullable ? " | null" : ""}`;
  }
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v).replaceAll('"', "")).join(" | ");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const nullable = types.includes("null") ? " | null" : "";
  const [type = "any"] = withoutNull(types);
  if (type === "array") return `${schema.items ? typeOf(doc, schema.items) : "any"}[]${nullable}`;
  if (type === "object" && !schema.properties && typeof schema.additionalProperties === "object") {
    return `map of ${typeOf(doc, schema.additionalProperties)}${nullable}`;
  }
  const format = schema.format ? ` (${schema.format})` : "";
  return `${type}${format}${nullable}${bounds(schema)}`;
}

function bounds(schema: JsonSchema): string {
  const parts = [
    schema.minimum !== undefined ? `≥ ${schema.minimum}` : null,
    schema.maximum !== undefined ? `≤ ${schema.maximum}` : null,
    schema.maxLength !== undefined ? `≤ ${schema.maxLength} chars` : null,
  ].filter(Boolean);
  return parts.length ? `, ${parts.join(", ")}` : "";
}

export type Field = {
  /** Dotted, with [] for array items: "items[].customer.email". */
  name: string;
  type: string;
  required: boolean;
  description?: string;
  defaultValue?: unknown;
  depth: number;
};

/** An object schema's fields, nested objects (and arrays of them) flattened below their parent. */
export function fieldsOf(doc: OpenApiDocument, raw: JsonSchema, prefix = "", depth = 0): Field[] {
  const schema = objectOf(doc, raw);
  if (!schema?.properties || depth > 4) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).flatMap(([key, property]) => {
    const name = `${prefix}${key}`;
    const resolved = resolve(doc, property);
    const items = arrayItems(doc, resolved);
    const nested = items
      ? fieldsOf(doc, items, `${name}[].`, depth + 1)
      : fieldsOf(doc, resolved, `${name}.`, depth + 1);
    return [
      {
        name,
        type: typeOf(doc, property),
        required: required.has(key),
        description: resolved.description,
        defaultValue: resolved.default,
        depth,
      },
      ...nested,
    ];
  });
}

/** The object a schema describes, looking through nullability. */
function objectOf(doc: OpenApiDocument, raw: JsonSchema): JsonSchema | null {
  const schema = resolve(doc, raw);
  if (schema.properties) return schema;
  const variant = (schema.anyOf ?? schema.oneOf)?.find((v) => resolve(doc, v).properties);
  return variant ? resolve(doc, variant) : null;
}

function arrayItems(doc: OpenApiDocument, schema: JsonSchema): JsonSchema | null {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes("array") && schema.items) return resolve(doc, schema.items);
  return null;
}

/** The JSON body schema of a request or response, if any. */
export function jsonSchemaOf(part: {
  content?: Record<string, { schema?: JsonSchema }>;
}): JsonSchema | null {
  return part.content?.["application/json"]?.schema ?? null;
}

/** A curl command for the route, with placeholders for its path and required fields. */
export function curlExample(doc: OpenApiDocument, route: Route, serverUrl: string): string {
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => `<${name}>`);
  const lines = [
    `curl ${route.method === "GET" ? "" : `-X ${route.method} `}"${serverUrl}${path}" \\`,
  ];
  lines.push(`  -H "Authorization: Bearer $NETIA_API_KEY"`);
  const body = route.requestBody ? jsonSchemaOf(route.requestBody) : null;
  if (body) {
    const fields = fieldsOf(doc, body).filter((f) => f.depth === 0);
    const sample = Object.fromEntries(
      (fields.some((f) => f.required) ? fields.filter((f) => f.required) : fields.slice(0, 1)).map(
        (f) => [f.name, `<${f.name}>`],
      ),
    );
    lines[lines.length - 1] += " \\";
    lines.push(`  -H "Content-Type: application/json" \\`, `  -d '${JSON.stringify(sample)}'`);
  }
  return lines.join("\n");
}
