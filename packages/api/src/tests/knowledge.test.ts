// The knowledge base through the real router and database: admins write and
// import articles, agents read them; passages follow every save; and what the
// assistant retrieves is the asking account's published passages only.
import { retrieveKnowledge } from "@netia/ai";
import { schema } from "@netia/db";
import type { Runtime } from "@netia/runtime";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, createTestRuntime, signUpAccount, tokenOfLink, uniqueEmail } from "../testing";

let rt: Runtime;
beforeAll(async () => {
  rt = await createTestRuntime();
});
afterAll(async () => {
  await rt.database.close();
});

const retrieve = (accountId: string, question: string, limit = 3) =>
  retrieveKnowledge({ db: rt.db, ai: null }, { accountId, question, limit });

async function passagesOf(articleId: string) {
  return rt.db
    .select({ heading: schema.knowledgePassages.heading, body: schema.knowledgePassages.body })
    .from(schema.knowledgePassages)
    .where(eq(schema.knowledgePassages.articleId, articleId))
    .orderBy(schema.knowledgePassages.position);
}

describe("articles", () => {
  it("are created, listed, searched by title, edited, unpublished and deleted by an admin", async () => {
    const { admin } = await signUpAccount(rt, "Kb Crud");
    const refunds = await admin.knowledge.create({
      title: "Refund policy",
      body: "## Physical goods\n\nReturn within 30 days.\n\n## Gift cards\n\nGift cards are final.",
      url: "https://help.example.com/refunds",
    });
    expect(refunds).toMatchObject({ title: "Refund policy", published: true, passages: 2 });
    await admin.knowledge.create({ title: "Shipping times", body: "Orders ship in 2 days." });

    const all = await admin.knowledge.list();
    expect(all.embeddingModel).toBeNull();
    expect(all.articles.map((a) => a.title)).toEqual(["Shipping times", "Refund policy"]);
    const found = await admin.knowledge.list({ query: "refund" });
    expect(found.articles.map((a) => a.title)).toEqual(["Refund policy"]);
    expect((await admin.knowledge.list({ query: "100%_" })).articles).toEqual([]);

    const edited = await admin.knowledge.update({ id: refunds.id, title: "Returns and refunds" });
    expect(edited.title).toBe("Returns and refunds");
    expect((await passagesOf(refunds.id)).map((p) => p.heading)).toEqual([
      "Returns and refunds › Physical goods",
      "Returns and refunds › Gift cards",
    ]);
    expect(await admin.knowledge.setPublished({ id: refunds.id, published: false })).toMatchObject({
      published: false,
      passages: 2,
    });
    expect((await admin.knowledge.get({ id: refunds.id })).body).toContain("Gift cards are final.");

    await admin.knowledge.delete({ id: refunds.id });
    await expect(admin.knowledge.get({ id: refunds.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await passagesOf(refunds.id)).toEqual([]);
  });

  it("are read by agents but written only by admins", async () => {
    const { admin } = await signUpAccount(rt, "Kb Roles");
    const article = await admin.knowledge.create({ title: "Opening hours", body: "9 to 5." });
    const { url } = await admin.team.invite({ email: uniqueEmail("kb-agent"), role: "agent" });
    const agent = client(rt);
    await agent.auth.acceptInvitation({
      token: tokenOfLink(url),
      name: "Agent",
      password: "agent password 1",
    });
    expect((await agent.knowledge.get({ id: article.id })).title).toBe("Opening hours");
    await expect(agent.knowledge.create({ title: "x", body: "y" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(agent.knowledge.delete({ id: article.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("rebuild their passages when the body changes, so search finds the new text and not the old", async () => {
    const { admin, account } = await signUpAccount(rt, "Kb Rebuild");
    const article = await admin.knowledge.create({
      title: "Delivery",
      body: "Parcels travel by pigeon.",
    });
    expect((await retrieve(account.id, "pigeon")).map((p) => p.articleId)).toEqual([article.id]);
    await admin.knowledge.update({ id: article.id, body: "Parcels travel by zeppelin." });
    expect(await retrieve(account.id, "pigeon")).toEqual([]);
    expect((await retrieve(account.id, "zeppelin")).map((p) => p.body)).toEqual([
      "Parcels travel by zeppelin.",
    ]);
  });

  it("import from Markdown files, all or none", async () => {
    const { admin } = await signUpAccount(rt, "Kb Import");
    const imported = await admin.knowledge.importMarkdown({
      files: [
        {
          name: "warranty.md",
          text: "---\ntitle: Warranty\nurl: https://help.example.com/warranty\n---\nTwo years.",
        },
        { name: "care-guide.md", text: "# Caring for leather\n\n## Cleaning\n\nUse a damp cloth." },
        { name: "faq_returns.md", text: "No heading here." },
      ],
    });
    expect(imported.map((a) => [a.title, a.url, a.passages])).toEqual([
      ["Warranty", "https://help.example.com/warranty", 1],
      ["Caring for leather", null, 1],
      ["Faq returns", null, 1],
    ]);
    const leather = await admin.knowledge.get({ id: imported[1]?.id as string });
    expect(leather.body).toBe("## Cleaning\n\nUse a damp cloth.");

    await expect(
      admin.knowledge.importMarkdown({
        files: [
          { name: "good.md", text: "# Good" },
          { name: "bad.md", text: "---\nurl: javascript:alert(1)\n---\nBad." },
        ],
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("bad.md") });
    expect((await admin.knowledge.list()).articles).toHaveLength(3);
  });
});

describe("retrieveKnowledge (full-text search)", () => {
  it("finds an answer that holds only some of the question's words, rare words weighing most", async () => {
    const { admin, account } = await signUpAccount(rt, "Kb Ranking");
    const articles = [
      ["Your account", "Change the email address of your account from your profile page."],
      ["Account security", "Protect your account with two-factor authentication."],
      ["Refunds", "A refund reaches your card within five business days of approval."],
    ] as const;
    const ids = new Map<string, string>();
    for (const [title, body] of articles) {
      ids.set(title, (await admin.knowledge.create({ title, body })).id);
    }
    // "account" is in two articles, "money" in none, "refund" in one: it decides.
    const [best] = await retrieve(
      account.id,
      "When do I get my money back as a refund on my account?",
    );
    expect(best?.articleId).toBe(ids.get("Refunds"));
    expect(best).toMatchObject({ title: "Refunds", url: null, heading: "Refunds" });
  });

  it("never returns another account's passages, nor unpublished ones", async () => {
    const a = await signUpAccount(rt, "Kb Tenant A");
    const b = await signUpAccount(rt, "Kb Tenant B");
    const text = { title: "Secret discount codes", body: "The staff discount code is HUSH42." };
    const ofA = await a.admin.knowledge.create(text);
    await b.admin.knowledge.create(text);
    const draft = await a.admin.knowledge.create({
      title: "Secret discount codes (draft)",
      body: "The staff discount code will be HUSH43.",
      published: false,
    });

    const found = await retrieve(a.account.id, "staff discount code", 10);
    expect(found.map((p) => p.articleId)).toEqual([ofA.id]);

    await a.admin.knowledge.setPublished({ id: draft.id, published: true });
    await a.admin.knowledge.setPublished({ id: ofA.id, published: false });
    expect(
      (await retrieve(a.account.id, "staff discount code", 10)).map((p) => p.articleId),
    ).toEqual([draft.id]);
  });

  it("answers a question with no searchable words with nothing, not an error", async () => {
    const { admin, account } = await signUpAccount(rt, "Kb Empty");
    await admin.knowledge.create({ title: "Anything", body: "Some text." });
    expect(await retrieve(account.id, "the and of ?!")).toEqual([]);
    expect(await retrieve(account.id, "it's a \\ back'slash & | ! (odd) <-> query:*")).toEqual([]);
  });
});
