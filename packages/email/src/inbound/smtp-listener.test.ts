import nodemailer from "nodemailer";
import { afterEach, expect, it } from "vitest";
import { type InboundSmtpListener, startInboundSmtpListener } from "./smtp-listener";

let listener: InboundSmtpListener | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

const send = (port: number, to: string, text = "hello") =>
  nodemailer
    .createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true })
    .sendMail({ from: "ann@example.com", to, subject: "Hi", text });

it("hands a message for its domain over with the envelope, and refuses other domains at RCPT", async () => {
  const received: { raw: string; rcptTo: string[] }[] = [];
  listener = await startInboundSmtpListener({
    port: 0,
    host: "127.0.0.1",
    domain: "reply.example.com",
    onMessage: async (raw, envelope) => {
      received.push({ raw: raw.toString(), rcptTo: envelope.rcptTo });
    },
  });
  const info = await send(listener.port, "Inbox-X@Reply.Example.com", "the body");
  expect(info.response).toMatch(/^250/);
  expect(received).toHaveLength(1);
  expect(received[0]?.rcptTo).toEqual(["inbox-x@reply.example.com"]);
  expect(received[0]?.raw).toContain("the body");
  await expect(send(listener.port, "someone@example.org")).rejects.toMatchObject({
    responseCode: 550,
  });
  expect(received).toHaveLength(1);
});

it("answers 451 when the message cannot be stored, so the sender retries", async () => {
  let attempts = 0;
  listener = await startInboundSmtpListener({
    port: 0,
    host: "127.0.0.1",
    domain: "reply.example.com",
    onMessage: async () => {
      attempts++;
      if (attempts === 1) throw new Error("connection to the database lost");
    },
  });
  await expect(send(listener.port, "a@reply.example.com")).rejects.toMatchObject({
    responseCode: 451,
  });
  // The retry, once the database is back, is accepted.
  expect((await send(listener.port, "a@reply.example.com")).response).toMatch(/^250/);
  expect(attempts).toBe(2);
});

it("refuses a message over the size limit", async () => {
  let stored = 0;
  listener = await startInboundSmtpListener({
    port: 0,
    host: "127.0.0.1",
    domain: "reply.example.com",
    maxBytes: 10_000,
    onMessage: async () => {
      stored++;
    },
  });
  await expect(
    send(listener.port, "a@reply.example.com", "x".repeat(50_000)),
  ).rejects.toMatchObject({ responseCode: 552 });
  expect(stored).toBe(0);
});
