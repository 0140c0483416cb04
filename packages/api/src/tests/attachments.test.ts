import { randomUUID } from "node:crypto";
import {
  ATTACHMENT_CHUNK_BYTES,
  expireUnattachedUploads,
  getAttachmentFile,
  readAttachment,
} from "@netia/core";
import { schema } from "@netia/db";
import type { Runtime } from "@netia/runtime";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
  return handleUpload(rt, { headers: new Headers(headers), ip: "127.0.0.1", body: [body] });
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
  const bytes: Buffer[] = [];
  for await (const chunk of readAttachment(rt.db, file.id)) bytes.push(chunk);
  expect(Buffer.compare(Buffer.concat(bytes), PNG)).toBe(0);
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

it("stores a file name as well-formed text: no NUL, no half of an emoji cut at the length limit", async () => {
  const { account } = await signUpAccount(rt);
  const visitor = await newVisitor(rt, account.id);
  // 199 letters then emoji: cutting by UTF-16 unit at 200 would split the first pair.
  const name = `\u0000${"a".repeat(199)}${"😀".repeat(5)}.png`;
  const result = await upload(
    {
      "x-netia-widget-token": visitor.sessionToken,
      "content-type": "image/png",
      "x-netia-filename": encodeURIComponent(name),
    },
    PNG,
  );
  if (!result.ok) throw new Error(result.message);
  const [stored] = await rt.db
    .select({ filename: schema.attachments.filename })
    .from(schema.attachments)
    .where(eq(schema.attachments.id, result.attachment.id));
  expect(stored?.filename).toBe(`${"a".repeat(199)}😀`);
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

it("stores a large upload in chunks as it arrives and keeps nothing of one over 10 MB", async () => {
  const { account } = await signUpAccount(rt);
  const visitor = await newVisitor(rt, account.id);
  const headers = { "x-netia-widget-token": visitor.sessionToken, "content-type": "text/plain" };
  const file = Buffer.from(Array.from({ length: 700_001 }, (_, i) => i % 251));
  // Pieces of odd sizes, as a network delivers them.
  const pieces = [file.subarray(0, 1), file.subarray(1, 300_000), file.subarray(300_000)];
  const result = await handleUpload(rt, {
    headers: new Headers(headers),
    ip: "127.0.0.1",
    body: pieces,
  });
  if (!result.ok) throw new Error(result.message);
  expect(result.attachment.size).toBe(file.length);
  const stored = await rt.db
    .select({ seq: schema.attachmentChunks.seq })
    .from(schema.attachmentChunks)
    .where(eq(schema.attachmentChunks.attachmentId, result.attachment.id));
  expect(stored.length).toBe(Math.ceil(file.length / ATTACHMENT_CHUNK_BYTES));
  const read: Buffer[] = [];
  for await (const chunk of readAttachment(rt.db, result.attachment.id)) read.push(chunk);
  expect(Buffer.compare(Buffer.concat(read), file)).toBe(0);

  // Over the limit, with no Content-Length to tell in advance: refused midway, nothing kept.
  const mib = Buffer.alloc(1024 * 1024, 1);
  const tooBig = await handleUpload(rt, {
    headers: new Headers(headers),
    ip: "127.0.0.1",
    body: [...Array(10).fill(mib), Buffer.alloc(1)],
  });
  expect(tooBig).toMatchObject({ ok: false, status: 413 });
  // Declared too large: refused before a byte is read.
  const declared = await handleUpload(rt, {
    headers: new Headers({ ...headers, "content-length": String(10 * 1024 * 1024 + 1) }),
    ip: "127.0.0.1",
    body: [Buffer.alloc(1)],
  });
  expect(declared).toMatchObject({ ok: false, status: 413, code: "PAYLOAD_TOO_LARGE" });
  const kept = await rt.db
    .select({ id: schema.attachments.id })
    .from(schema.attachments)
    .where(eq(schema.attachments.uploadedByCustomerId, visitor.customerId));
  expect(kept.map((a) => a.id)).toEqual([result.attachment.id]);
});

describe("upload volume", () => {
  const KIB = Buffer.alloc(1024, 7);
  /** Uploads `kib` KiB, declaring its size as browsers do (or not: `declared` false). */
  const upTo = (strict: Runtime, token: string, kib: number, declared = true) =>
    handleUpload(strict, {
      headers: new Headers({
        "x-netia-widget-token": token,
        "content-type": "text/plain",
        ...(declared ? { "content-length": String(kib * 1024) } : {}),
      }),
      ip: "127.0.0.1",
      body: Array(kib).fill(KIB),
    });

  it("limits the files and bytes one visitor uploads, with 429 and a retry delay", async () => {
    const strict = await createTestRuntime({
      database: rt.database,
      rateLimits: { uploadsPerUploader: 3, uploadKibPerUploader: 12, uploadKibPerAccount: 1e6 },
    });
    const { account } = await signUpAccount(rt);
    const a = await newVisitor(rt, account.id);
    expect(await upTo(strict, a.sessionToken, 5)).toMatchObject({ ok: true });
    expect(await upTo(strict, a.sessionToken, 5)).toMatchObject({ ok: true });
    // 10 KiB used of 12: another 5 would go over.
    expect(await upTo(strict, a.sessionToken, 5)).toMatchObject({
      ok: false,
      status: 429,
      retryAfter: expect.any(Number),
    });
    // Files, not only bytes: the fourth file of the hour is refused whatever its size.
    expect(await upTo(strict, a.sessionToken, 1)).toMatchObject({ ok: false, status: 429 });
    // Another visitor has an allowance of their own; a body of undeclared size is
    // counted once stored, and removed again if it went over.
    const b = await newVisitor(rt, account.id);
    expect(await upTo(strict, b.sessionToken, 10, false)).toMatchObject({ ok: true });
    expect(await upTo(strict, b.sessionToken, 5, false)).toMatchObject({ ok: false, status: 429 });
    const kept = await rt.db
      .select({ size: schema.attachments.size })
      .from(schema.attachments)
      .where(eq(schema.attachments.uploadedByCustomerId, b.customerId));
    expect(kept).toEqual([{ size: 10 * 1024 }]);
  });

  it("limits the bytes one account receives from all its visitors", async () => {
    const strict = await createTestRuntime({
      database: rt.database,
      rateLimits: { uploadsPerUploader: 100, uploadKibPerUploader: 1e6, uploadKibPerAccount: 12 },
    });
    const { account } = await signUpAccount(rt);
    const other = await signUpAccount(rt);
    const visitors = await Promise.all([1, 2, 3].map(() => newVisitor(rt, account.id)));
    expect(await upTo(strict, visitors[0]?.sessionToken ?? "", 5)).toMatchObject({ ok: true });
    expect(await upTo(strict, visitors[1]?.sessionToken ?? "", 5)).toMatchObject({ ok: true });
    expect(await upTo(strict, visitors[2]?.sessionToken ?? "", 5)).toMatchObject({
      ok: false,
      status: 429,
    });
    // What a file did not use is given back: a small one still fits.
    expect(await upTo(strict, visitors[2]?.sessionToken ?? "", 2)).toMatchObject({ ok: true });
    // Another account is not affected.
    const stranger = await newVisitor(rt, other.account.id);
    expect(await upTo(strict, stranger.sessionToken, 5)).toMatchObject({ ok: true });
  });
});

it("removes uploads never sent with a message once they expire, and keeps sent ones", async () => {
  const { account } = await signUpAccount(rt);
  const visitor = await newVisitor(rt, account.id);
  const headers = { "x-netia-widget-token": visitor.sessionToken, "content-type": "image/png" };
  const sent = await upload(headers, PNG);
  const unsent = await upload(headers, PNG);
  if (!sent.ok || !unsent.ok) throw new Error("upload failed");
  await visitor.widget.widget.sendMessage({
    body: "with a file",
    clientMessageId: randomUUID(),
    attachmentIds: [sent.attachment.id],
  });
  const mine = async () =>
    (
      await rt.db
        .select({ id: schema.attachments.id })
        .from(schema.attachments)
        .where(eq(schema.attachments.uploadedByCustomerId, visitor.customerId))
    ).map((a) => a.id);

  // Not yet expired: kept.
  await expireUnattachedUploads(rt.db, { olderThan: new Date(Date.now() - 3_600_000) });
  expect((await mine()).sort()).toEqual([sent.attachment.id, unsent.attachment.id].sort());

  await expireUnattachedUploads(rt.db, { olderThan: new Date(Date.now() + 1000) });
  expect(await mine()).toEqual([sent.attachment.id]);
  const chunks = await rt.db
    .select({ seq: schema.attachmentChunks.seq })
    .from(schema.attachmentChunks)
    .where(eq(schema.attachmentChunks.attachmentId, unsent.attachment.id));
  expect(chunks).toEqual([]);
});
