// The From of an account's emails: its name on SMTP_FROM's address, quoted so
// that no name can add an address or a header.
import { describe, expect, it } from "vitest";
import { senderFrom } from "./outbound-email";

describe("senderFrom", () => {
  it("puts the account's name on the address of SMTP_FROM", () => {
    expect(senderFrom("Netia <mail@netia.test>", "Acme Bikes")).toBe(
      '"Acme Bikes" <mail@netia.test>',
    );
    expect(senderFrom("mail@netia.test", "Acme")).toBe('"Acme" <mail@netia.test>');
  });

  it("keeps SMTP_FROM as it is without a name", () => {
    expect(senderFrom("Netia <mail@netia.test>", null)).toBe("Netia <mail@netia.test>");
    expect(senderFrom("Netia <mail@netia.test>", "  ")).toBe("Netia <mail@netia.test>");
  });

  it("escapes quotes and drops line breaks", () => {
    expect(senderFrom("mail@netia.test", 'Acme "Support"\r\nBcc: x@evil.test')).toBe(
      '"Acme \\"Support\\" Bcc: x@evil.test" <mail@netia.test>',
    );
    expect(senderFrom("mail@netia.test", "a\\b")).toBe('"a\\\\b" <mail@netia.test>');
  });
});
