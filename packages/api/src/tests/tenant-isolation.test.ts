// Enumerates every procedure of the app router and proves that a member of
// account B (and a visitor of B, and another visitor of A) can neither read
// nor change anything of account A's.

import type { Runtime } from "@netia/runtime";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../root";
import { createTestRuntime } from "../testing";
import {
  apiKeyScopeOf,
  callPath,
  type Fixture,
  inputsAgainst,
  populatedAccount,
  snapshotAccount,
} from "../testing/fixtures";

/** Public by design: they take an account's public token and touch no tenant's private data. */
const PUBLIC_BY_DESIGN = new Set(["widget.config", "widget.identify"]);

const procedures = Object.keys(appRouter._def.procedures);
const allowedErrors = ["NOT_FOUND", "FORBIDDEN", "UNAUTHORIZED", "BAD_REQUEST"];

let rt: Runtime;
let a: Fixture;
let b: Fixture;
beforeAll(async () => {
  rt = await createTestRuntime();
  a = await populatedAccount(rt, "A");
  b = await populatedAccount(rt, "B");
});
afterAll(async () => {
  await rt.database.close();
});

it("has an input aimed at account A for every procedure", () => {
  const covered = Object.keys(inputsAgainst(a));
  expect(procedures.filter((p) => !covered.includes(p))).toEqual([]);
  expect(covered.filter((p) => !procedures.includes(p))).toEqual([]);
});

describe("no procedure lets one tenant reach another's data", () => {
  async function attempt(who: string, caller: Fixture["admin"], path: string, input: unknown) {
    let outcome: unknown;
    try {
      outcome = await callPath(caller, path, input);
    } catch (error) {
      if (!(error instanceof TRPCError)) throw error;
      expect(allowedErrors, `${who} ${path}: ${error.code} ${error.message}`).toContain(error.code);
      return;
    }
    const text = JSON.stringify(outcome) ?? "";
    for (const secret of a.secrets) {
      expect(text.includes(secret), `${who} ${path} returned A's ${secret}`).toBe(false);
    }
  }

  it("as B's admin, B's visitor, and another visitor of A", async () => {
    const before = await snapshotAccount(rt, a.account.id);
    const inputs = inputsAgainst(a);
    for (const path of procedures) {
      if (PUBLIC_BY_DESIGN.has(path) || path === "auth.logOut") continue;
      const input = inputs[path];
      if (path.startsWith("widget.")) {
        await attempt("B's visitor", b.visitor.widget, path, input);
        await attempt("A's other visitor", a.otherVisitor.widget, path, input);
      } else {
        await attempt("B's admin", b.admin, path, input);
      }
    }
    expect(await snapshotAccount(rt, a.account.id)).toEqual(before);
  });

  it("as B's API key with every scope", async () => {
    const before = await snapshotAccount(rt, a.account.id);
    const inputs = inputsAgainst(a);
    for (const path of procedures) {
      if (PUBLIC_BY_DESIGN.has(path) || path === "auth.logOut") continue;
      await attempt("B's API key", b.adminKey, path, inputs[path]);
    }
    expect(await snapshotAccount(rt, a.account.id)).toEqual(before);
  });

  it("refuses API keys every procedure that does not declare the scope a key needs", async () => {
    const before = await snapshotAccount(rt, a.account.id);
    const inputs = inputsAgainst(a);
    const undeclared = procedures.filter(
      (path) => !apiKeyScopeOf(path) && !path.startsWith("auth.") && !path.startsWith("widget."),
    );
    // Keys manage no keys, nor the team, nor settings.
    expect(undeclared).toEqual(expect.arrayContaining(["apiKeys.create", "account.update"]));
    for (const path of undeclared) {
      await expect(callPath(a.adminKey, path, inputs[path]), path).rejects.toMatchObject({
        code: "FORBIDDEN",
        message: `API keys cannot call ${path}`,
      });
    }
    // Nor is a key a widget session.
    for (const path of procedures.filter((p) => p.startsWith("widget."))) {
      if (PUBLIC_BY_DESIGN.has(path)) continue;
      await expect(callPath(a.adminKey, path, inputs[path]), path).rejects.toMatchObject({
        code: "UNAUTHORIZED",
      });
    }
    expect(await snapshotAccount(rt, a.account.id)).toEqual(before);
  });

  it("refuses a key the procedures that need a scope it lacks", async () => {
    const before = await snapshotAccount(rt, a.account.id);
    const inputs = inputsAgainst(a);
    const needingMore = procedures.filter((p) => apiKeyScopeOf(p) && apiKeyScopeOf(p) !== "read");
    expect(needingMore).toEqual(expect.arrayContaining(["messages.reply", "tags.delete"]));
    for (const path of needingMore) {
      await expect(callPath(a.readKey, path, inputs[path]), path).rejects.toMatchObject({
        code: "FORBIDDEN",
        message: `This API key lacks the ${apiKeyScopeOf(path)} scope that ${path} needs`,
      });
    }
    expect(await snapshotAccount(rt, a.account.id)).toEqual(before);
  });

  it("refuses every agent procedure to a visitor and to nobody", async () => {
    for (const path of procedures) {
      const agentOnly = !path.startsWith("auth.") && !path.startsWith("widget.");
      if (!agentOnly) continue;
      await expect(callPath(a.visitor.widget, path, inputsAgainst(a)[path])).rejects.toMatchObject({
        code: "UNAUTHORIZED",
      });
    }
  });

  it("keeps admin-only procedures from agents", async () => {
    const adminOnly = [
      "account.update",
      "team.invite",
      "team.listInvitations",
      "team.resendInvitation",
      "team.revokeInvitation",
      "team.updateRole",
      "team.setDisabled",
      "inboxes.get",
      "inboxes.create",
      "inboxes.update",
      "inboxes.rotateIdentitySecret",
      "inboxes.updateWidgetSettings",
      "email.outgoing",
      "email.outgoingMessage",
      "email.retry",
      "email.failedCount",
      "webhooks.list",
      "webhooks.create",
      "webhooks.update",
      "webhooks.rotateSecret",
      "webhooks.delete",
      "webhooks.deliveries",
      "webhooks.redeliver",
      "webhooks.sendTest",
      "slackSupport.list",
      "slackSupport.connect",
      "slackSupport.disconnect",
    ];
    const before = await snapshotAccount(rt, a.account.id);
    for (const path of adminOnly) {
      await expect(callPath(a.agent, path, inputsAgainst(a)[path]), path).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
    }
    expect(await snapshotAccount(rt, a.account.id)).toEqual(before);
  });
});
