// A widget session reaches one customer's conversations in one inbox, and an
// unverified claim never reaches a verified customer. Every widget procedure
// (listed from the router, so a new one is covered by itself) is called with
// sessions started on inbox X against the customers and conversations of
// inbox Y: nothing is read, nothing is written, no name is overwritten.
import { createHmac, randomUUID } from "node:crypto";
import { schema } from "@netia/db";
import type { Runtime } from "@netia/runtime";
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { widgetRouter } from "../routers/widget";
import { type Client, client, createTestRuntime, signUpAccount } from "../testing";
import { callPath, snapshotAccount } from "../testing/fixtures";

const hmac = (secret: string, value: string) =>
  createHmac("sha256", secret).update(value).digest("hex");

let rt: Runtime;
beforeAll(async () => {
  rt = await createTestRuntime();
});
afterAll(async () => {
  await rt.database.close();
});

type Session = { customerId: string; inboxId: string; verified: boolean; widget: Client };

async function identify(input: Record<string, unknown>): Promise<Session> {
  const session = await client(rt).widget.identify({
    visitorId: `visitor-${randomUUID()}`,
    ...input,
  } as Parameters<Client["widget"]["identify"]>[0]);
  return { ...session, widget: client(rt, { widgetToken: session.sessionToken }) };
}

/** Input for each widget procedure, aimed at `conversationId` (someone else's). */
function attackInputs(target: {
  accountId: string;
  inboxId: string;
  conversationId: string;
  seq: number;
}): Record<string, unknown> {
  return {
    "widget.config": { accountToken: target.accountId, inboxId: target.inboxId },
    "widget.identify": "covered by the sessions themselves",
    "widget.conversations": undefined,
    "widget.sendMessage": {
      conversationId: target.conversationId,
      body: "intruder",
      clientMessageId: randomUUID(),
    },
    "widget.listMessages": { conversationId: target.conversationId },
    "widget.requestTranscript": {
      conversationId: target.conversationId,
      email: "intruder@example.com",
    },
    "widget.markSeen": { conversationId: target.conversationId, upToSeq: target.seq + 100 },
    "widget.typing": { conversationId: target.conversationId },
    "widget.requestHuman": { conversationId: target.conversationId },
    "widget.events": { conversationId: target.conversationId, lastEventId: "0" },
  };
}

describe("widget sessions across inboxes", () => {
  it("a session of inbox X reads and writes nothing of inbox Y's customers, verified or not", async () => {
    const { admin, account, inbox: inboxX } = await signUpAccount(rt, "Identity Co");
    const inboxY = await admin.inboxes.create({ name: "Customers' portal" });
    const { identitySecret: secretX } = await admin.inboxes.get({ id: inboxX.id });
    const { identitySecret: secretY } = await admin.inboxes.get({ id: inboxY.id });
    const marker = `secret-${randomUUID()}`;

    // An unverified customer of Y, from before Y required verification.
    const claimed = await identify({
      accountToken: account.id,
      inboxId: inboxY.id,
      customer: { externalId: "claimed-1", name: "Claimed Customer" },
    });
    expect(claimed.verified).toBe(false);
    await admin.inboxes.update({ id: inboxY.id, requireIdentityVerification: true });
    // A verified customer of Y.
    const proven = await identify({
      accountToken: account.id,
      inboxId: inboxY.id,
      customer: { externalId: "victim-1", name: "Victim", email: "victim@example.com" },
      identityHash: hmac(secretY, "victim-1"),
    });
    expect(proven.verified).toBe(true);

    const targets = [];
    for (const victim of [claimed, proven]) {
      const { conversationId } = await victim.widget.widget.sendMessage({
        body: `customer says ${marker}`,
        clientMessageId: randomUUID(),
      });
      const reply = await admin.messages.reply({ conversationId, body: `agent says ${marker}` });
      targets.push({
        accountId: account.id,
        inboxId: inboxY.id,
        conversationId,
        seq: reply.seq,
      });
    }

    // Sessions started on X (no inbox id: the default inbox, which requires no hash).
    const attackers = {
      "an unverified claim of the verified customer's id": await identify({
        accountToken: account.id,
        customer: { externalId: "victim-1", name: "Mallory", email: "mallory@example.com" },
      }),
      "a forged hash for the verified customer's id": await identify({
        accountToken: account.id,
        customer: { externalId: "victim-1", name: "Mallory" },
        identityHash: hmac("not the secret", "victim-1"),
      }),
      "an unverified claim of the unverified customer's id": await identify({
        accountToken: account.id,
        customer: { externalId: "claimed-1" },
      }),
      "the verified customer, proven on X": await identify({
        accountToken: account.id,
        customer: { externalId: "victim-1" },
        identityHash: hmac(secretX, "victim-1"),
      }),
      "an anonymous visitor": await identify({ accountToken: account.id }),
    };
    for (const [name, session] of Object.entries(attackers)) {
      expect(session.inboxId, name).toBe(inboxX.id);
    }
    // No claim without a valid hash attaches to the verified customer or changes them.
    for (const session of Object.values(attackers)) {
      if (!session.verified) expect(session.customerId).not.toBe(proven.customerId);
    }
    const victimRow = await admin.customers.get({ id: proven.customerId });
    expect(victimRow).toMatchObject({
      name: "Victim",
      email: "victim@example.com",
      verified: true,
    });

    const before = await snapshotAccount(rt, account.id);
    const procedures = Object.keys(widgetRouter._def.procedures).map((p) => `widget.${p}`);
    expect(procedures.length).toBeGreaterThanOrEqual(8);
    let refused = 0;
    for (const target of targets) {
      const inputs = attackInputs(target);
      for (const path of procedures) {
        expect(inputs, `no attack input for ${path}: add one`).toHaveProperty([path]);
        if (path === "widget.identify") continue;
        for (const [name, session] of Object.entries(attackers)) {
          let answer: unknown;
          try {
            answer = await callPath(session.widget, path, inputs[path]);
          } catch (error) {
            if (!(error instanceof TRPCError)) throw error;
            expect(error.code, `${path} by ${name}`).toBe("NOT_FOUND");
            refused++;
            continue;
          }
          const text = JSON.stringify(answer);
          expect(text, `${path} by ${name}`).not.toContain(marker);
          expect(text, `${path} by ${name}`).not.toContain(target.conversationId);
        }
      }
    }
    // sendMessage, listMessages, markSeen, typing, requestHuman, requestTranscript, events:
    // per target and attacker.
    expect(refused).toBe(targets.length * Object.keys(attackers).length * 7);
    expect(await snapshotAccount(rt, account.id)).toEqual(before);

    // The customers of Y still reach their own conversations.
    for (const [i, victim] of [claimed, proven].entries()) {
      const mine = await victim.widget.widget.conversations();
      expect(mine.map((c) => c.id)).toEqual([targets[i]?.conversationId]);
    }
  });

  it("verified and unverified identities with one external id are separate customers", async () => {
    const { admin, account, inbox } = await signUpAccount(rt, "Two Kinds Co");
    const { identitySecret } = await admin.inboxes.get({ id: inbox.id });
    const unverified = await identify({
      accountToken: account.id,
      customer: { externalId: "user-7", name: "Claimed" },
    });
    const verified = await identify({
      accountToken: account.id,
      customer: { externalId: "user-7", name: "Proven" },
      identityHash: hmac(identitySecret, "user-7"),
    });
    const claimedAgain = await identify({
      accountToken: account.id,
      customer: { externalId: "user-7", name: "Mallory" },
    });
    const provenAgain = await identify({
      accountToken: account.id,
      customer: { externalId: "user-7" },
      identityHash: hmac(identitySecret, "user-7"),
    });
    expect(verified.customerId).not.toBe(unverified.customerId);
    expect(claimedAgain.customerId).toBe(unverified.customerId);
    expect(provenAgain.customerId).toBe(verified.customerId);
    const rows = await rt.db
      .select({ name: schema.customers.name, verified: schema.customers.verified })
      .from(schema.customers)
      .where(eq(schema.customers.externalId, "user-7"));
    expect(rows.filter((r) => r.verified)).toEqual([{ name: "Proven", verified: true }]);
  });

  it("an anonymous visitor who proves an identity keeps their conversation; a later claim does not reach it", async () => {
    const { admin, account, inbox } = await signUpAccount(rt, "Upgrade Co");
    const { identitySecret } = await admin.inboxes.get({ id: inbox.id });
    const visitorId = `visitor-${randomUUID()}`;
    const anonymous = await identify({ accountToken: account.id, visitorId });
    const { conversationId } = await anonymous.widget.widget.sendMessage({
      body: "hi",
      clientMessageId: randomUUID(),
    });
    const proven = await identify({
      accountToken: account.id,
      visitorId,
      customer: { externalId: "user-9" },
      identityHash: hmac(identitySecret, "user-9"),
    });
    expect(proven.customerId).toBe(anonymous.customerId);
    // The same browser, now claiming the id without the hash: a different customer.
    const claimed = await identify({
      accountToken: account.id,
      visitorId,
      customer: { externalId: "user-9" },
    });
    expect(claimed.customerId).not.toBe(proven.customerId);
    expect(await claimed.widget.widget.conversations()).toEqual([]);
    await expect(claimed.widget.widget.listMessages({ conversationId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
