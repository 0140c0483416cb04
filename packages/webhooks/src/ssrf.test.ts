// The SSRF guard: private, loopback, link-local and other inside addresses are
// refused (as literals, as names that resolve to them, and as redirect
// targets) unless private networks are allowed; a refused URL is never
// requested.
import { startWebhookReceiver, type WebhookReceiver } from "@netia/testkit/webhook-receiver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendWebhook } from "./send";
import { checkWebhookUrl, isPrivateAddress, type Resolver, WebhookUrlRefused } from "./ssrf";

const secret = `whsec_${Buffer.from("a test secret of 24 bytes").toString("base64")}`;
const refuse = { allowPrivateNetworks: false };
const allow = { allowPrivateNetworks: true };

/** Names tests resolve without DNS. */
const names: Record<string, string[]> = {
  "inside.test": ["10.1.2.3"],
  "metadata.test": ["169.254.169.254"],
  "mixed.test": ["93.184.215.14", "127.0.0.1"],
  "outside.test": ["93.184.215.14"],
  "mapped.test": ["::ffff:127.0.0.1"],
};
const resolve: Resolver = async (host) => {
  const found = names[host];
  if (!found) throw new Error(`ENOTFOUND ${host}`);
  return found.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
};

let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(() => receiver.close());

describe("isPrivateAddress", () => {
  it.each([
    "127.0.0.1",
    "127.5.6.7",
    "10.0.0.1",
    "10.255.255.255",
    "172.16.0.1",
    "172.31.255.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:a9fe:a9fe",
    "64:ff9b::a00:1",
    "not an address",
  ])("refuses %s", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(["93.184.215.14", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])(
    "lets %s through",
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );
});

describe("checkWebhookUrl", () => {
  it.each([
    "http://127.0.0.1/hook",
    "http://10.0.0.8:8080/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://0x7f000001/hook",
    "http://2130706433/hook",
  ])("refuses the literal address in %s", async (url) => {
    await expect(checkWebhookUrl(url, refuse)).rejects.toThrow(WebhookUrlRefused);
  });

  it("refuses a name that resolves inside, through the system's resolver too", async () => {
    await expect(checkWebhookUrl("http://localhost:9/hook", refuse)).rejects.toThrow(
      /private, loopback or link-local address \((127\.0\.0\.1|::1)\)/,
    );
    for (const host of ["inside.test", "metadata.test", "mapped.test", "mixed.test"]) {
      await expect(checkWebhookUrl(`https://${host}/hook`, { ...refuse, resolve })).rejects.toThrow(
        WebhookUrlRefused,
      );
    }
  });

  it("lets a public name through, pinned to the address it was checked at", async () => {
    const target = await checkWebhookUrl("https://outside.test/hook", { ...refuse, resolve });
    expect(target.address).toEqual({ address: "93.184.215.14", family: 4 });
  });

  it("allows inside addresses when the operator's setting says so", async () => {
    const target = await checkWebhookUrl("http://inside.test/hook", { ...allow, resolve });
    expect(target.address.address).toBe("10.1.2.3");
    await expect(checkWebhookUrl("http://127.0.0.1:1/", allow)).resolves.toBeTruthy();
  });

  it("refuses other schemes, credentials and names that do not resolve", async () => {
    await expect(checkWebhookUrl("ftp://outside.test/", { ...allow, resolve })).rejects.toThrow(
      /https:\/\/ or http:\/\//,
    );
    await expect(
      checkWebhookUrl("https://user:pw@outside.test/", { ...allow, resolve }),
    ).rejects.toThrow(/user name or password/);
    await expect(checkWebhookUrl("https://nowhere.test/", { ...allow, resolve })).rejects.toThrow(
      /could not be resolved/,
    );
  });
});

describe("sendWebhook and the guard", () => {
  const request = (url: string) => ({ url, secret, webhookId: "msg_guard", body: "{}" });

  it("never requests a refused URL", async () => {
    const before = receiver.received.length;
    const outcome = await sendWebhook(request(`${receiver.url}/hook`), refuse);
    expect(outcome).toMatchObject({ ok: false, statusCode: null });
    expect(outcome.error).toMatch(/private, loopback or link-local/);
    const viaName = await sendWebhook(request(`http://localhost:${receiver.port}/hook`), refuse);
    expect(viaName.ok).toBe(false);
    expect(receiver.received.length).toBe(before);
  });

  it("checks every redirect: one into the private network is not followed", async () => {
    // The receiver stands for a public server here; what it redirects to is checked again.
    const isPrivate = (address: string) => address !== "127.0.0.1" && isPrivateAddress(address);
    receiver.answer((req) =>
      req.path === "/to-metadata"
        ? { status: 307, headers: { location: "http://169.254.169.254/latest/meta-data/" } }
        : req.path === "/to-inside-name"
          ? { status: 302, headers: { location: "http://inside.test/admin" } }
          : { status: 200, body: "ok" },
    );
    const before = receiver.received.length;
    const metadata = await sendWebhook(request(`${receiver.url}/to-metadata`), {
      ...refuse,
      resolve,
      isPrivate,
    });
    expect(metadata.ok).toBe(false);
    expect(metadata.error).toMatch(/169\.254\.169\.254/);
    const inside = await sendWebhook(request(`${receiver.url}/to-inside-name`), {
      ...refuse,
      resolve,
      isPrivate,
    });
    expect(inside.error).toMatch(/10\.1\.2\.3/);
    expect(receiver.received.slice(before).map((r) => r.path)).toEqual([
      "/to-metadata",
      "/to-inside-name",
    ]);
    receiver.answer(() => ({ status: 200, body: "ok" }));
  });

  it("connects to the checked address even when the name would resolve elsewhere now", async () => {
    // "outside.test" has no DNS: the request reaches the receiver only through the pinned address.
    const before = receiver.received.length;
    const pinnedHere: Resolver = async () => [{ address: "127.0.0.1", family: 4 }];
    const outcome = await sendWebhook(request(`http://outside.test:${receiver.port}/pinned`), {
      ...allow,
      resolve: pinnedHere,
    });
    expect(outcome).toMatchObject({ ok: true, statusCode: 200 });
    const [got] = receiver.received.slice(before);
    expect(got?.headers.host).toBe(`outside.test:${receiver.port}`);
  });

  it("follows at most 3 redirects", async () => {
    receiver.answer((req, i) => ({
      status: 308,
      headers: { location: `/loop-${i}` },
      body: req.path,
    }));
    const outcome = await sendWebhook(request(`${receiver.url}/loop`), allow);
    expect(outcome).toMatchObject({ ok: false, statusCode: 308, error: "too many redirects" });
    receiver.answer(() => ({ status: 200, body: "ok" }));
  });
});
