// Every procedure that takes input, fed malformed and oversized input, NUL
// bytes and unpaired surrogates in each string, out-of-range dates, forged
// cursors and empty updates: the answer is a typed client error, never a 500,
// and nothing is written. The same inputs go over HTTP and the websocket in
// apps/web/src/e2e/bad-input.e2e.test.ts.
import { isWellFormedText } from "@netia/core";
import type { Runtime } from "@netia/runtime";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { appRouter } from "../root";
import { createTestRuntime } from "../testing";
import { badInputs, proceduresWithInput } from "../testing/bad-inputs";
import {
  apiKeyScopeOf,
  callPath,
  type Fixture,
  inputsAgainst,
  populatedAccount,
  snapshotAccount,
} from "../testing/fixtures";

const clientErrors = ["BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND"];

let rt: Runtime;
let a: Fixture;
beforeAll(async () => {
  rt = await createTestRuntime();
  a = await populatedAccount(rt, "A");
});
afterAll(async () => {
  await rt.database.close();
});

it("answers malformed and oversized input with a client error and changes nothing", async () => {
  const before = await snapshotAccount(rt, a.account.id);
  const inputs = inputsAgainst(a);
  const withInput = proceduresWithInput();
  expect(withInput.length).toBeGreaterThan(40);
  let calls = 0;
  for (const { path } of withInput) {
    const caller = path.startsWith("widget.") ? a.visitor.widget : a.admin;
    for (const bad of badInputs(path, inputs[path], a)) {
      calls++;
      try {
        await callPath(caller, path, bad);
      } catch (error) {
        if (!(error instanceof TRPCError)) throw error;
        expect(
          clientErrors,
          `${path} ${JSON.stringify(bad)?.slice(0, 80)}: ${error.message}`,
        ).toContain(error.code);
        continue;
      }
      throw new Error(`${path} accepted ${JSON.stringify(bad)?.slice(0, 120)}`);
    }
  }
  expect(calls).toBeGreaterThan(600);
  expect(await snapshotAccount(rt, a.account.id)).toEqual(before);
  // Over 1,000 calls one after another: ~10 s alone, near 30 s beside other test files.
}, 90_000);

it("answers an API key's malformed input with a client error and changes nothing", async () => {
  const before = await snapshotAccount(rt, a.account.id);
  const inputs = inputsAgainst(a);
  const declared = proceduresWithInput().filter(({ path }) => apiKeyScopeOf(path));
  expect(declared.length).toBeGreaterThan(20);
  let calls = 0;
  for (const { path } of declared) {
    for (const bad of badInputs(path, inputs[path], a)) {
      calls++;
      const outcome = await callPath(a.adminKey, path, bad).then(
        () => "accepted",
        (error: unknown) => {
          if (!(error instanceof TRPCError)) throw error;
          return error.code;
        },
      );
      expect(clientErrors, `${path} ${JSON.stringify(bad)?.slice(0, 80)}`).toContain(outcome);
    }
  }
  expect(calls).toBeGreaterThan(200);
  expect(await snapshotAccount(rt, a.account.id)).toEqual(before);
});

type ZodNode = {
  _zod: {
    def: {
      type: string;
      format?: string;
      checks?: { _zod: { def: { fn?: unknown } } }[];
      [key: string]: unknown;
    };
  };
};

/** Paths (within one input schema) of string schemas not built on the shared ZText. */
function unguardedStrings(schema: ZodNode, at = "input"): string[] {
  const def = schema._zod.def;
  const walk = (child: unknown, where: string) => unguardedStrings(child as ZodNode, where);
  switch (def.type) {
    case "string": {
      // These formats admit neither NUL nor surrogates.
      if (["uuid", "email", "datetime"].includes(def.format ?? "")) return [];
      const guarded = def.checks?.some((c) => c._zod.def.fn === isWellFormedText);
      return guarded ? [] : [at];
    }
    case "object":
      return Object.entries(def.shape as Record<string, unknown>).flatMap(([k, v]) =>
        walk(v, `${at}.${k}`),
      );
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
    case "nonoptional":
      return walk(def.innerType, at);
    case "array":
      return walk(def.element, `${at}[]`);
    case "record":
      return [...walk(def.keyType, `${at}{key}`), ...walk(def.valueType, `${at}{value}`)];
    case "union":
      return (def.options as unknown[]).flatMap((o) => walk(o, at));
    case "intersection":
      return [...walk(def.left, at), ...walk(def.right, at)];
    case "pipe":
      return [...walk(def.in, at), ...walk(def.out, at)];
    default:
      return [];
  }
}

it("builds every string input of every procedure on the shared text schema", () => {
  const unguarded = Object.entries(appRouter._def.procedures).flatMap(([path, p]) =>
    (p as unknown as { _def: { inputs: ZodNode[] } })._def.inputs.flatMap((schema) =>
      unguardedStrings(schema, path),
    ),
  );
  expect(unguarded).toEqual([]);
});
