"use client";

import { useQuery } from "@tanstack/react-query";
import { FileJson } from "lucide-react";
import Link from "next/link";
import { ErrorMessage } from "@/components/error-message";
import { cn } from "@/lib/utils";
import { CopyButton } from "../code-block";
import { Section } from "../fields";
import { SettingsPage } from "../settings-page";
import {
  curlExample,
  type Field,
  fieldsOf,
  jsonSchemaOf,
  type OpenApiDocument,
  type Parameter,
  type Route,
  sections,
  typeOf,
} from "./openapi-model";

/** The document the REST API serves; the page shows exactly what clients are given. */
const DOCUMENT_URL = "/api/v1/openapi.json";

const METHOD_COLORS: Record<string, string> = {
  GET: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
  POST: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  PATCH: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  PUT: "bg-violet-100 text-violet-900 dark:bg-violet-950 dark:text-violet-200",
  DELETE: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
};

/** Settings → REST API (every member): the API reference, rendered from the OpenAPI document. */
export function ApiReferencePage() {
  const document = useQuery({
    queryKey: ["openapi-document"],
    queryFn: async () => {
      const res = await fetch(DOCUMENT_URL);
      if (!res.ok) throw new Error(`The API reference could not be loaded (${res.status})`);
      return (await res.json()) as OpenApiDocument;
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
  return (
    <SettingsPage
      title="REST API"
      description="Conversations, messages, customers, companies and tags over HTTP, for services that do not use the TypeScript SDK."
      width="wide"
    >
      {document.isPending ? (
        <p className="text-sm text-muted-foreground" aria-live="polite">
          Loading the API reference…
        </p>
      ) : document.isError ? (
        <ErrorMessage error={document.error} />
      ) : (
        <Reference doc={document.data} />
      )}
    </SettingsPage>
  );
}

function Reference({ doc }: { doc: OpenApiDocument }) {
  const serverUrl = doc.servers?.[0]?.url ?? "/api";
  const groups = sections(doc);
  return (
    <>
      <Section title="Getting started">
        <div className="grid gap-3 text-sm">
          <p>
            Every request carries an API key as <code>Authorization: Bearer &lt;key&gt;</code>.
            Create one under <Link href="/settings/api-keys">Settings → API keys</Link>; it acts as
            you, within the scopes you give it (read, write, admin).
          </p>
          <dl className="grid gap-2 sm:grid-cols-[10rem_1fr]">
            <dt className="text-muted-foreground">Base URL</dt>
            <dd className="flex items-center gap-2">
              <code data-testid="api-base-url">{serverUrl}</code>
              <CopyButton text={serverUrl} label="Copy the base URL" />
            </dd>
            <dt className="text-muted-foreground">OpenAPI 3.1 document</dt>
            <dd>
              <a
                href={DOCUMENT_URL}
                className="inline-flex items-center gap-1 underline-offset-4 hover:underline"
                data-testid="api-document-link"
              >
                <FileJson className="size-4" aria-hidden />
                {DOCUMENT_URL}
              </a>{" "}
              <span className="text-muted-foreground">
                — for client generators and API tools ({doc.info.title}, version {doc.info.version})
              </span>
            </dd>
            <dt className="text-muted-foreground">Errors</dt>
            <dd>
              A JSON body <code>{"{ code, message }"}</code>, with <code>fieldErrors</code> for bad
              input and <code>retryAfter</code> (and a Retry-After header) for 429.
            </dd>
          </dl>
        </div>
      </Section>
      <nav aria-label="API sections" className="flex flex-wrap gap-2">
        {groups.map(({ tag }) => (
          <a
            key={tag}
            href={`#api-${slug(tag)}`}
            className="rounded-md border px-2 py-1 text-sm hover:bg-accent"
          >
            {tag}
          </a>
        ))}
      </nav>
      {groups.map(({ tag, routes }) => (
        <Section
          key={tag}
          id={`api-${slug(tag)}`}
          title={tag}
          description={`${routes.length} route${routes.length === 1 ? "" : "s"}`}
        >
          <div className="-my-3 divide-y">
            {routes.map((route) => (
              <RouteDetails key={route.operationId} doc={doc} route={route} serverUrl={serverUrl} />
            ))}
          </div>
        </Section>
      ))}
    </>
  );
}

function RouteDetails({
  doc,
  route,
  serverUrl,
}: {
  doc: OpenApiDocument;
  route: Route;
  serverUrl: string;
}) {
  const params = route.parameters ?? [];
  const body = route.requestBody ? jsonSchemaOf(route.requestBody) : null;
  const ok = route.responses["200"];
  const okSchema = ok ? jsonSchemaOf(ok) : null;
  const errors = Object.keys(route.responses).filter((status) => status !== "200");
  const curl = curlExample(doc, route, serverUrl);
  return (
    <details className="group py-3" data-testid="api-route" data-operation-id={route.operationId}>
      <summary className="flex cursor-pointer list-none flex-wrap items-center gap-2 rounded-md outline-none focus-visible:ring-2 focus-visible:ring-ring">
        <span
          className={cn(
            "w-16 rounded px-1.5 py-0.5 text-center font-mono text-xs font-semibold",
            METHOD_COLORS[route.method],
          )}
        >
          {route.method}
        </span>
        <code className="text-sm font-medium">{route.path}</code>
        <span className="text-sm text-muted-foreground">{route.summary}</span>
      </summary>
      <div className="mt-3 grid gap-4 pl-2 text-sm">
        {route.description ? <p>{route.description}</p> : null}
        {params.length > 0 ? <ParameterTable doc={doc} params={params} /> : null}
        {body ? (
          <FieldTable caption="JSON body" fields={fieldsOf(doc, body)} testId="api-request-body" />
        ) : null}
        {okSchema ? (
          <FieldTable
            caption={`200 response${fieldsOf(doc, okSchema).length === 0 ? `: ${typeOf(doc, okSchema)}` : ""}`}
            fields={fieldsOf(doc, okSchema)}
            testId="api-response"
          />
        ) : null}
        <p className="text-muted-foreground">
          Errors:{" "}
          {errors
            .map((status) => `${status} ${route.responses[status]?.description ?? ""}`)
            .join(" · ")}
        </p>
        <div className="grid gap-1">
          <div className="flex items-center justify-between">
            <span className="font-medium">Example</span>
            <CopyButton text={curl} label={`Copy the curl command for ${route.summary}`} />
          </div>
          <pre className="overflow-x-auto rounded-md bg-muted p-3 font-mono text-xs">{curl}</pre>
        </div>
      </div>
    </details>
  );
}

function ParameterTable({ doc, params }: { doc: OpenApiDocument; params: Parameter[] }) {
  return (
    <table className="w-full text-left" data-testid="api-parameters">
      <caption className="mb-1 text-left font-medium">Parameters</caption>
      <thead className="text-xs text-muted-foreground">
        <tr>
          <th className="py-1 pr-3 font-normal">Name</th>
          <th className="py-1 pr-3 font-normal">In</th>
          <th className="py-1 pr-3 font-normal">Type</th>
          <th className="py-1 font-normal">Required</th>
        </tr>
      </thead>
      <tbody>
        {params.map((param) => (
          <tr key={`${param.in}-${param.name}`} className="border-t align-top">
            <td className="py-1 pr-3 font-mono text-xs">{param.name}</td>
            <td className="py-1 pr-3">{param.in}</td>
            <td className="py-1 pr-3 font-mono text-xs">
              {param.schema ? typeOf(doc, param.schema) : "string"}
              {param.schema?.default !== undefined
                ? ` = ${JSON.stringify(param.schema.default)}`
                : ""}
            </td>
            <td className="py-1">{param.required ? "yes" : "no"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FieldTable({
  caption,
  fields,
  testId,
}: {
  caption: string;
  fields: Field[];
  testId: string;
}) {
  return (
    <table className="w-full text-left" data-testid={testId}>
      <caption className="mb-1 text-left font-medium">{caption}</caption>
      {fields.length > 0 ? (
        <>
          <thead className="text-xs text-muted-foreground">
            <tr>
              <th className="py-1 pr-3 font-normal">Field</th>
              <th className="py-1 pr-3 font-normal">Type</th>
              <th className="py-1 font-normal">Required</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((field) => (
              <tr key={field.name} className="border-t align-top">
                <td className="py-1 pr-3 font-mono text-xs">
                  {field.name}
                  {field.description ? (
                    <p className="font-sans text-xs text-muted-foreground">{field.description}</p>
                  ) : null}
                </td>
                <td className="py-1 pr-3 font-mono text-xs">
                  {field.type}
                  {field.defaultValue !== undefined
                    ? ` = ${JSON.stringify(field.defaultValue)}`
                    : ""}
                </td>
                <td className="py-1">{field.required ? "yes" : "no"}</td>
              </tr>
            ))}
          </tbody>
        </>
      ) : null}
    </table>
  );
}

const slug = (tag: string) => tag.toLowerCase().replace(/\W+/g, "-");
