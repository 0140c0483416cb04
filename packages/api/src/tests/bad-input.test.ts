// Every procedure that takes input, fed malformed and oversized input: the
// answer is a typed client error, never a 500, and nothing is written.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { appRouter } from "../root";
import type { Runtime } from "../runtime";
import { createTestRuntime } from "../testing";
import {
  callPath,
  type Fixture,
  inputsAgainst,
  populatedAccount,
  snapshotAccount,
} from "./fixtures";

const clientErrors = ["BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND"];
const HUGE = "x".repeat(1_000_000);

/** The valid input with every string (at any depth) replaced by a megabyte. */
function oversized(value: unknown): unknown {
  if (typeof value === "string") return HUGE;
  if (Array.isArray(value)) return value.map(oversized);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, oversized(v)]));
  }
  return value;
}

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
  const withInput = Object.entries(appRouter._def.procedures).filter(
    ([, p]) => (p as unknown as { _def: { inputs: unknown[] } })._def.inputs.length > 0,
  );
  expect(withInput.length).toBeGreaterThan(40);
  let calls = 0;
  for (const [path] of withInput) {
    const caller = path.startsWith("widget.") ? a.visitor.widget : a.admin;
    const valid = inputs[path];
    const badInputs = [
      "not an object",
      12345,
      null,
      [valid],
      oversized(valid),
      ...wrongTypes(valid),
    ];
    for (const bad of badInputs) {
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
  expect(calls).toBeGreaterThan(200);
  expect(await snapshotAccount(rt, a.account.id)).toEqual(before);
});
