// Malformed input for every procedure of the app router, shared by the
// in-process bad-input test and the one over HTTP and websocket
// (apps/web/src/e2e/bad-input.e2e.test.ts): whatever the transport, each must
// be answered with a client error, never a 500, and write nothing.
import { randomUUID } from "node:crypto";
import { appRouter } from "../root";
import type { Fixture } from "./fixtures";

export type ProcedureType = "query" | "mutation" | "subscription";

/** Every procedure that takes input, with its type. */
export function proceduresWithInput(): { path: string; type: ProcedureType }[] {
  return Object.entries(appRouter._def.procedures)
    .map(([path, p]) => {
      const def = (p as unknown as { _def: { inputs: unknown[]; type: ProcedureType } })._def;
      return { path, type: def.type, hasInput: def.inputs.length > 0 };
    })
    .filter((p) => p.hasInput)
    .map(({ path, type }) => ({ path, type }));
}

/** `value` with every string (at any depth) passed through `f`. */
function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === "string") return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)] as const),
    );
  }
  return value;
}

/** The valid input with each string field in turn spoiled by `f`, one input per field. */
function eachString(value: unknown, f: (s: string) => string): unknown[] {
  if (typeof value === "string") return [f(value)];
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => eachString(v, f).map((bad) => value.with(i, bad)));
  }
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, v]) =>
      eachString(v, f).map((bad) => ({ ...value, [key]: bad })),
    );
  }
  return [];
}

const HUGE = "x".repeat(1_000_000);
const NUL = (s: string) => `${s.slice(0, 1)}\u0000${s.slice(1)}`;
/** Half of a surrogate pair: valid in a JS string, not encodable as UTF-8. */
const LONE_SURROGATE = (s: string) => `${s}\ud800`;

/** The valid input with each field in turn given a value of the wrong type. */
function wrongTypes(value: unknown): unknown[] {
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, v]) =>
    [{ nested: true }, ["array"], typeof v === "string" ? -1.5 : "wrong type"].map((bad) => ({
      ...value,
      [key]: bad,
    })),
  );
}

/** A cursor as Netia encodes them, holding whatever the caller likes. */
export const forgedCursor = (contents: unknown) =>
  Buffer.from(JSON.stringify(contents)).toString("base64url");

/** Dates no caller may send: beyond what Postgres stores, or outside 1970 to 9999. */
const BAD_DATES = [
  "0000-01-01T00:00:00Z",
  "+275760-09-13T00:00:00.000Z",
  "1969-12-31T23:59:59Z",
  "10000-01-01T00:00:00Z",
];

const BAD_CURSORS = [
  "not a cursor",
  "\u0000",
  forgedCursor(["+275760-09-13T00:00:00.000Z", randomUUID()]),
  forgedCursor(["0000-01-01T00:00:00.000Z", randomUUID()]),
  forgedCursor(["2024-01-01T00:00:00.000Z", "not-a-uuid"]),
  forgedCursor({ at: "2024-01-01T00:00:00.000Z" }),
  forgedCursor(["2024-01-01T00:00:00.000Z\u0000", randomUUID()]),
];

/** Inputs that reach past the types: dates, cursors, empty updates, free-form JSON. */
function specialCases(path: string, a: Fixture): unknown[] {
  const nulContext = { currentUrl: "https://acme.test/\u0000", browser: "Chrome\u0000" };
  switch (path) {
    case "conversations.list":
      return BAD_CURSORS.map((cursor) => ({ view: "all", cursor }));
    case "customers.list":
    case "companies.list":
      return BAD_CURSORS.map((cursor) => ({ cursor }));
    case "companies.update":
      return [{ id: a.companyId }, { id: a.companyId, website: "not a website" }];
    case "companies.create":
      return [{ name: "   " }, { name: "x", website: "javascript:alert(1)" }];
    case "customers.merge":
      return [{ keepId: a.customerId, removeId: a.customerId }];
    case "search.query":
      return [{ q: "   " }, { q: "x", kinds: ["nothing"] }, { q: "x", limit: 0 }];
    case "apiKeys.create":
      return [
        { label: "x", scopes: [] },
        { label: "x", scopes: ["read", "read"] },
        { label: "x", scopes: ["everything"] },
        { label: "   ", scopes: ["read"] },
        { label: "x", scopes: ["read"], expiresAt: "2001-01-01T00:00:00Z" },
        ...BAD_DATES.map((expiresAt) => ({ label: "x", scopes: ["read"], expiresAt })),
      ];
    case "conversations.snooze":
      return BAD_DATES.map((until) => ({ id: a.conversationId, until }));
    case "account.update":
      return [{}, { companyName: undefined }];
    case "inboxes.update":
      return [{ id: a.inboxId }];
    case "customers.update":
      return [{ id: a.customerId }];
    case "tags.update":
      return [{ id: a.tagId }];
    case "savedReplies.update":
      return [{ id: a.savedReplyId }];
    case "widget.identify":
      return [
        { accountToken: a.account.id, visitorId: `visitor-${randomUUID()}`, context: nulContext },
        {
          accountToken: a.account.id,
          visitorId: `visitor-${randomUUID()}`,
          customer: { metadata: { "plan\u0000": "pro" } },
        },
        {
          accountToken: a.account.id,
          visitorId: `visitor-${randomUUID()}`,
          customer: { metadata: { plan: "pro\u0000" } },
        },
      ];
    default:
      return [];
  }
}

/**
 * Every bad input for `path`, given its valid input. `oversized` adds the valid
 * input with every string a megabyte long (the transports refuse those bodies
 * before tRPC sees them, so only the in-process test needs them).
 */
export function badInputs(
  path: string,
  valid: unknown,
  a: Fixture,
  { oversized = true }: { oversized?: boolean } = {},
): unknown[] {
  const huge = mapStrings(valid, () => HUGE);
  // An input without strings (switches only) has no oversized form.
  const hasStrings = JSON.stringify(huge) !== JSON.stringify(valid);
  return [
    "not an object",
    12345,
    null,
    [valid],
    ...(oversized && hasStrings ? [huge] : []),
    ...wrongTypes(valid),
    ...eachString(valid, NUL),
    ...eachString(valid, LONE_SURROGATE),
    ...specialCases(path, a),
  ];
}
