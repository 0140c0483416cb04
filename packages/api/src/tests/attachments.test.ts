import { randomUUID } from "node:crypto";
import { getAttachmentFile } from "@netia/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Runtime } from "../runtime";
import { createTestRuntime, newVisitor, signUpAccount } from "../testing";
import { handleUpload } from "../uploads";

let rt: Runtime;
beforeAll(async () => {
  rt = await createTestRuntime();
});
afterAll(async () => {
  await rt.database.close();
});

const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000100ffff03000006000557bfabd40000000049454e44ae426082",
  "hex",
);

function upload(headers: Record<string, string>, body: Buffer) {
  return handleUpload(rt, { headers: new Headers(headers), ip: "127.0.0.1", body });
}

it("stores a visitor's upload, sends it with a message, and serves it by its URL only", async () => {
  const { admin, account } = await signUpAccount(rt);
  const visitor = await newVisitor(rt, account.id);
  const result = await upload(
    {
      "x-netia-widget-token": visitor.sessionToken,
      "content-type": "image/png",
      "x-netia-filename": encodeURIComponent("../screen shot.png"),
    },
    PNG,
  );
  if (!result.ok) throw new Error(result.message);
  expect(result.attachment).toMatchObject({
    filename: "screen shot.png",
    contentType: "image/png",
    size: PNG.length,
  });

  const { conversationId, message } = await visitor.widget.widget.sendMessage({
    body: "see the screenshot",
    clientMessageId: randomUUID(),
    attachmentIds: [result.attachment.id],
  });
  expect(message.attachments.map((a) => a.id)).toEqual([result.attachment.id]);
  const agentView = await admin.messages.list({ conversationId });
  expect(agentView.items[0]?.attachments[0]?.url).toBe(result.attachment.url);

  const [, , id, key] = result.attachment.url.split("/").slice(1);
  const file = await getAttachmentFile(rt.db, { id: id ?? "", key: key ?? "" });
  expect(Buffer.compare(file.data, PNG)).toBe(0);
  await expect(
    getAttachmentFile(rt.db, { id: id ?? "", key: "0".repeat(48) }),
  ).rejects.toMatchObject({
    code: "NOT_FOUND",
  });

  // Used once: sending it again fails, and nothing is half-written.
  const before = (await admin.messages.list({ conversationId })).items.length;
  await expect(
    visitor.widget.widget.sendMessage({
      conversationId,
      body: "again",
      clientMessageId: randomUUID(),
      attachmentIds: [result.attachment.id],
    }),
  ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  expect((await admin.messages.list({ conversationId })).items.length).toBe(before);
});

it("lets nobody else send an upload: not another visitor, not another account's agent", async () => {
  const a = await signUpAccount(rt);
  const b = await signUpAccount(rt);
  const owner = await newVisitor(rt, a.account.id);
  const other = await newVisitor(rt, a.account.id);
  const result = await upload(
    { "x-netia-widget-token": owner.sessionToken, "content-type": "application/pdf" },
    Buffer.from("%PDF-1.4 test"),
  );
  if (!result.ok) throw new Error(result.message);
  await expect(
    other.widget.widget.sendMessage({
      body: "stolen",
      clientMessageId: randomUUID(),
      attachmentIds: [result.attachment.id],
    }),
  ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  const bVisitor = await newVisitor(rt, b.account.id);
  const { conversationId } = await bVisitor.widget.widget.sendMessage({
    body: "hi",
    clientMessageId: randomUUID(),
  });
  await expect(
    b.admin.messages.reply({
      conversationId,
      body: "stolen",
      attachmentIds: [result.attachment.id],
    }),
  ).rejects.toMatchObject({ code: "BAD_REQUEST" });
});

it("refuses uploads without a session, of forbidden types, and over the size limit", async () => {
  const { account, admin } = await signUpAccount(rt);
  const visitor = await newVisitor(rt, account.id);
  expect(await upload({ "content-type": "image/png" }, PNG)).toMatchObject({
    ok: false,
    status: 401,
  });
  expect(
    await upload({ "x-netia-widget-token": "forged", "content-type": "image/png" }, PNG),
  ).toMatchObject({ ok: false, status: 401 });
  for (const type of ["image/svg+xml", "text/html", "application/x-msdownload", ""]) {
    expect(
      await upload({ "x-netia-widget-token": visitor.sessionToken, "content-type": type }, PNG),
    ).toMatchObject({ ok: false, status: 415 });
  }
  expect(
    await upload(
      { "x-netia-widget-token": visitor.sessionToken, "content-type": "text/plain" },
      Buffer.alloc(10 * 1024 * 1024 + 1),
    ),
  ).toMatchObject({ ok: false, status: 413 });
  expect(
    await upload(
      { "x-netia-widget-token": visitor.sessionToken, "content-type": "text/plain" },
      Buffer.alloc(0),
    ),
  ).toMatchObject({ ok: false, status: 400 });
  // An agent uploads with the session cookie.
  const agentUpload = await upload(
    { cookie: admin.cookieHeader(), "content-type": "text/csv" },
    Buffer.from("a,b\n1,2\n"),
  );
  expect(agentUpload).toMatchObject({ ok: true });
});
