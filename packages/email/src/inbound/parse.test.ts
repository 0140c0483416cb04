import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseInboundEmail } from "./parse";
import { replyText } from "./reply-text";

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "fixtures", name));

describe("parseInboundEmail", () => {
  it("reads a Gmail reply: the new text only, the thread ids, every recipient", async () => {
    const mail = await parseInboundEmail(fixture("gmail-reply.eml"));
    expect(mail.text).toBe(
      "Thanks, that fixed it!\n\nOne more thing: can I export my invoices?\n\nAnn",
    );
    expect(mail.messageIdHeader).toBe("<CAH7p9wXq3=kd0uP7nL4c_Zf+Qb8@mail.gmail.com>");
    expect(mail.inReplyTo).toBe("<0b6e51f4-3c1d-4b39-9f7e-2a1f1c9e7d11@example.com>");
    expect(mail.references).toEqual(["<0b6e51f4-3c1d-4b39-9f7e-2a1f1c9e7d11@example.com>"]);
    expect(mail.from).toEqual({ address: "ann.customer@gmail.com", name: "Ann Customer" });
    expect(mail.recipients).toEqual([
      "r4tkxwyq5ybdzfjlc6wqbr2i5fa.cabcdefghabcdefgh@reply.example.com",
    ]);
    expect(mail.subject).toBe("Re: Your conversation with Acme");
    expect(mail.automatic).toBeNull();
  });

  it("cuts Outlook's -----Original Message----- history, and the signature from its sign-off", async () => {
    const mail = await parseInboundEmail(fixture("outlook-reply.eml"));
    // "Kind regards," opens the signature for email-reply-parser: the name below it goes too.
    expect(mail.text).toBe("Hello,\n\nThe parcel arrived today but the box was damaged.");
    expect(mail.references).toEqual(["<first@contoso.com>", "<ab12@reply.example.com>"]);
  });

  it("falls back to the HTML of an HTML-only Apple Mail reply, without the cited part or device signature", async () => {
    const mail = await parseInboundEmail(fixture("apple-html-reply.eml"));
    expect(mail.text).toBe("Perfect, see you on Monday & thanks!");
  });

  it("flags an out-of-office reply and a bounce as automatic", async () => {
    expect((await parseInboundEmail(fixture("out-of-office.eml"))).automatic).toBe("auto_reply");
    expect((await parseInboundEmail(fixture("bounce.eml"))).automatic).toBe("bounce");
  });

  it("flags Precedence bulk, X-Autoreply, a postmaster sender and Netia's own loop header", async () => {
    const base = "From: a@example.com\r\nTo: b@example.com\r\nSubject: x\r\n";
    const kind = async (headers: string, from = base) =>
      (await parseInboundEmail(Buffer.from(`${from}${headers}\r\nbody\r\n`))).automatic;
    expect(await kind("Precedence: bulk\r\n")).toBe("auto_reply");
    expect(await kind("X-Autoreply: yes\r\n")).toBe("auto_reply");
    expect(await kind("Auto-Submitted: no\r\n")).toBeNull();
    expect(await kind("X-Netia-Loop: 1\r\n")).toBe("loop");
    expect(await kind("", "From: postmaster@example.com\r\nTo: b@example.com\r\n")).toBe("bounce");
  });

  it("names a message without Message-ID by a hash of its bytes, keeps its file, drops the signature", async () => {
    const raw = fixture("attachment-no-message-id.eml");
    const mail = await parseInboundEmail(raw);
    expect(mail.messageIdHeader).toMatch(/^<[0-9a-f]{64}@netia\.invalid>$/);
    expect((await parseInboundEmail(raw)).messageIdHeader).toBe(mail.messageIdHeader);
    expect(mail.text).toBe("Here is the invoice you asked for.");
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({
      filename: "invoice-1042.pdf",
      contentType: "application/pdf",
    });
    expect(mail.attachments[0]?.content.toString()).toBe("%PDF-1.4 invoice 1042");
  });
});

describe("replyText", () => {
  it("cuts the quote headers of the common clients", () => {
    expect(replyText("Yes.\n\nOn Mon, 30 Nov 2026, Ann <a@b.c> wrote:\n> old")).toBe("Yes.");
    expect(replyText("Ja.\n\nAm 30.11.2026 um 10:00 schrieb Ann <a@b.c>:\n> alt")).toBe("Ja.");
    expect(
      replyText(
        "Sure.\n\n________________________________\nFrom: Acme <n@x.com>\nSent: Monday\nSubject: Re: hi\n\nold",
      ),
    ).toBe("Sure.");
    expect(
      replyText("Fine.\n\nFrom: Acme <n@x.com>\nSent: Monday\nTo: me\nSubject: Re: hi\n\nold"),
    ).toBe("Fine.");
    expect(replyText("Ok\n\nSent from my iPhone\n\n> quoted")).toBe("Ok");
  });

  it("keeps everything when there is no quote", () => {
    expect(replyText("Line one\nline two\n\nSecond paragraph")).toBe(
      "Line one\nline two\n\nSecond paragraph",
    );
  });
});
