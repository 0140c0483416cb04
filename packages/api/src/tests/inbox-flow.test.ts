import { randomUUID } from "node:crypto";
import type { Runtime } from "@netia/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, createTestRuntime, newVisitor, signUpAccount, uniqueEmail } from "../testing";

let rt: Runtime;
beforeAll(async () => {
  rt = await createTestRuntime();
});
afterAll(async () => {
  await rt.database.close();
});

describe("the core conversation flow", () => {
  it("a visitor writes, the agent sees it in the inbox and replies, the visitor reads the reply", async () => {
    const { admin, account, user } = await signUpAccount(rt);
    const visitor = await newVisitor(rt, account.id);

    const sent = await visitor.widget.widget.sendMessage({
      body: "Hello, I need help",
      clientMessageId: randomUUID(),
    });

    const list = await admin.conversations.list({ view: "all" });
    expect(list.items).toHaveLength(1);
    const [summary] = list.items;
    expect(summary?.id).toBe(sent.conversationId);
    expect(summary?.read).toBe(false);
    expect(summary?.lastMessage?.body).toBe("Hello, I need help");
    expect(summary?.lastMessage?.senderType).toBe("customer");
    expect((await admin.conversations.list({ view: "unassigned" })).items).toHaveLength(1);

    const reply = await admin.messages.reply({
      conversationId: sent.conversationId,
      body: "Hi! How can I help?",
    });
    expect(reply.senderType).toBe("user");

    const conversation = await admin.conversations.get({ id: sent.conversationId });
    expect(conversation.assigneeId).toBe(user.id);
    expect(conversation.firstRepliedAt).not.toBeNull();
    expect(conversation.read).toBe(true);
    expect((await admin.conversations.list({ view: "mine" })).items).toHaveLength(1);
    expect((await admin.conversations.list({ view: "unassigned" })).items).toHaveLength(0);

    await admin.messages.note({ conversationId: sent.conversationId, body: "internal only" });

    const seen = await visitor.widget.widget.listMessages({ conversationId: sent.conversationId });
    expect(seen.items.map((m) => m.body)).toEqual(["Hello, I need help", "Hi! How can I help?"]);

    const agentView = await admin.messages.list({ conversationId: sent.conversationId });
    expect(agentView.items.map((m) => m.type)).toEqual(["reply", "reply", "note"]);
  });

  it("a customer message reopens a closed conversation", async () => {
    const { admin, account } = await signUpAccount(rt);
    const visitor = await newVisitor(rt, account.id);
    const { conversationId } = await visitor.widget.widget.sendMessage({
      body: "first",
      clientMessageId: randomUUID(),
    });
    await admin.conversations.update({ id: conversationId, status: "closed" });
    expect((await admin.conversations.list({ view: "closed" })).items).toHaveLength(1);
    await visitor.widget.widget.sendMessage({
      conversationId,
      body: "again",
      clientMessageId: randomUUID(),
    });
    const conversation = await admin.conversations.get({ id: conversationId });
    expect(conversation.status).toBe("open");
    expect(conversation.closedAt).toBeNull();
  });

  it("logs out and back in with the session cookie", async () => {
    const { admin, email, password } = await signUpAccount(rt);
    expect(await admin.auth.me()).not.toBeNull();
    await admin.auth.logOut();
    expect(await admin.auth.me()).toBeNull();
    await expect(admin.conversations.list({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const again = client(rt);
    await expect(again.auth.logIn({ email, password: "wrong password" })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await again.auth.logIn({ email, password });
    expect((await again.auth.me())?.role).toBe("admin");
  });

  it("refuses a second sign-up with the same email", async () => {
    const email = uniqueEmail();
    const input = { name: "A", email, password: "long enough pw", companyName: "A" };
    await client(rt).auth.signUp(input);
    await expect(client(rt).auth.signUp(input)).rejects.toMatchObject({ code: "CONFLICT" });
  });
});
