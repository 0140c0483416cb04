// search.query over messages, customers and companies: found by words and
// prefixes, ranked, with snippets whose only markup is <mark>, private notes
// marked, and never another account's rows. Run on both databases Netia
// ships with: the run's database (Postgres when reachable) and an embedded
// PGlite, since the same SQL must work on each.
import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { NEWEST_MESSAGES_SCANNED, RANKED_MESSAGE_MATCHES } from "@netia/core";
import { createDatabase, migrate } from "@netia/db";
import type { Runtime } from "@netia/runtime";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRuntime, newVisitor, signUpAccount, testDatabaseKind } from "../testing";

async function embeddedRuntime() {
  const database = createDatabase({ kind: "pglite-instance", client: new PGlite() });
  await migrate(database);
  return createTestRuntime({ database });
}

const databases =
  testDatabaseKind() === "postgres"
    ? [
        ["postgres", () => createTestRuntime()],
        ["pglite", embeddedRuntime],
      ]
    : [["pglite", () => createTestRuntime()]];

describe.each(databases as [string, () => Promise<Runtime>][])("search on %s", (_, open) => {
  let rt: Runtime;
  let a: Awaited<ReturnType<typeof seed>>;
  let b: Awaited<ReturnType<typeof seed>>;

  /** An account with a customer, a company, a conversation with a reply and a private note. */
  async function seed(label: string) {
    const word = `zebra${label.toLowerCase()}${randomUUID().slice(0, 6)}`;
    const { admin } = await signUpAccount(rt, `${label} Inc`);
    const visitor = await newVisitor(rt, (await admin.account.get()).id);
    const { conversationId, message } = await visitor.widget.widget.sendMessage({
      body: `My ${word} order arrived broken <script>alert("x")</script> & I want a refund`,
      clientMessageId: randomUUID(),
    });
    const reply = await admin.messages.reply({
      conversationId,
      body: `Sorry about the ${word}; a refund is on its way`,
    });
    const note = await admin.messages.note({ conversationId, body: `${word} customer is a VIP` });
    await admin.customers.update({
      id: visitor.customerId,
      name: `Jane ${word}`,
      email: `jane.${word}@example.com`,
    });
    const company = await admin.companies.create({
      name: `${word} Holdings`,
      website: `${word}.example`,
    });
    return { admin, visitor, word, conversationId, message, reply, note, company };
  }

  beforeAll(async () => {
    rt = await open();
    a = await seed("A");
    b = await seed("B");
  });
  afterAll(async () => {
    await rt.database.close();
  });

  it("finds messages, the customer and the company by a word, each kind once", async () => {
    const results = await a.admin.search.query({ q: a.word });
    const ids = results.map((r) => `${r.kind}:${r.id}`).sort();
    expect(ids).toEqual(
      [
        `message:${a.message.id}`,
        `message:${a.reply.id}`,
        `message:${a.note.id}`,
        `customer:${a.visitor.customerId}`,
        `company:${a.company.id}`,
      ].sort(),
    );
    const first = results.find((r) => r.id === a.message.id);
    expect(first).toMatchObject({
      kind: "message",
      conversationId: a.conversationId,
      customerId: a.visitor.customerId,
      title: `Jane ${a.word}`,
      private: false,
    });
  });

  it("marks private notes, which agents find like any message", async () => {
    const [note] = await a.admin.search.query({ q: `${a.word} vip`, kinds: ["message"] });
    expect(note).toMatchObject({ id: a.note.id, private: true });
  });

  it("matches prefixes and every word, and ranks the better match first", async () => {
    const prefix = await a.admin.search.query({ q: a.word.slice(0, -2), kinds: ["company"] });
    expect(prefix.map((r) => r.id)).toEqual([a.company.id]);
    const both = await a.admin.search.query({ q: `${a.word} refund`, kinds: ["message"] });
    expect(both.map((r) => r.id).sort()).toEqual([a.message.id, a.reply.id].sort());
    const ranks = both.map((r) => r.rank);
    expect(ranks).toEqual([...ranks].sort((x, y) => y - x));
    expect(await a.admin.search.query({ q: `${a.word} unicorn` })).toEqual([]);
  });

  it("finds a customer by the parts of an email", async () => {
    const byEmail = await a.admin.search.query({
      q: `jane.${a.word}@example.com`,
      kinds: ["customer"],
    });
    expect(byEmail.map((r) => r.id)).toEqual([a.visitor.customerId]);
  });

  it("returns snippets with the text escaped and only <mark> as markup", async () => {
    const [hit] = await a.admin.search.query({ q: `${a.word} broken`, kinds: ["message"] });
    expect(hit?.id).toBe(a.message.id);
    const snippet = hit?.snippet ?? "";
    expect(snippet).toContain(`<mark>${a.word}</mark>`);
    expect(snippet).toContain("<mark>broken</mark>");
    expect(snippet).toContain("&lt;script&gt;");
    expect(snippet).toContain("&amp;");
    expect(snippet).not.toContain("<script");
    expect(snippet.replace(/<\/?mark>/g, "")).not.toMatch(/[<>]/);
  });

  it("never returns another account's rows", async () => {
    expect(await a.admin.search.query({ q: b.word })).toEqual([]);
    expect(await b.admin.search.query({ q: a.word })).toEqual([]);
  });

  /** `count` customer messages saying `body`, written straight to account A's conversation. */
  const insert = async (body: string, count: number) => {
    const accountId = (await a.admin.account.get()).id;
    await rt.db.execute(sql`
      insert into messages (account_id, conversation_id, sender_type, customer_id, body)
      select ${accountId}, ${a.conversationId}, 'customer', ${a.visitor.customerId}, ${body}
      from generate_series(1, ${count})`);
  };

  it("ranks only the newest matches of a common word, the best of them first", async () => {
    // More matches than are ranked: the oldest says the word most often (it
    // would rank first), then RANKED_MESSAGE_MATCHES plain ones, then one newer
    // message that says it twice.
    const word = `walrus${randomUUID().slice(0, 6)}`;
    await insert(`${word} ${word} ${word} ${word} old and often`, 1);
    await insert(`plain ${word}`, RANKED_MESSAGE_MATCHES);
    await insert(`${word} newer ${word}`, 1);

    const results = await a.admin.search.query({ q: word, kinds: ["message"], limit: 5 });
    expect(results).toHaveLength(5);
    expect(results[0]?.snippet).toContain("newer");
    expect(results.some((r) => r.snippet.includes("often"))).toBe(false);
  });

  it("finds a rare word older than the newest messages the first pass reads", async () => {
    const word = `narwhal${randomUUID().slice(0, 6)}`;
    await insert(`an old ${word} question`, 1);
    await insert("newer small talk", NEWEST_MESSAGES_SCANNED);

    const results = await a.admin.search.query({ q: word, kinds: ["message"] });
    expect(results.map((r) => r.snippet)).toEqual([expect.stringContaining("question")]);
  });

  it("answers a query with no words with nothing", async () => {
    expect(await a.admin.search.query({ q: "!!! ---" })).toEqual([]);
  });
});
