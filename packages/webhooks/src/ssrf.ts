// The SSRF guard every webhook request passes: a receiver's URL must name a
// public address. The host is resolved here (every address it resolves to must
// be public, so a name that also points inside cannot slip through), and the
// request then connects to the checked address itself (send.ts pins it), so a
// DNS answer that changes between the check and the connection (a rebind)
// cannot swap it. Redirects are followed by hand and checked again each time.
// WEBHOOKS_ALLOW_PRIVATE_NETWORKS lets self-hosters deliver inside their own
// network.
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { AppError } from "@netia/core";

export type ResolvedAddress = { address: string; family: 4 | 6 };

/** Resolves a host name to every address it has (node:dns by default; tests inject their own). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) => {
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** Addresses no webhook goes to unless private networks are allowed. */
const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], // "this" network, unspecified
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local (cloud metadata at 169.254.169.254)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 96], // unspecified, loopback (::1), IPv4-compatible
  ["64:ff9b::", 96], // NAT64: reaches IPv4 addresses, private ones too
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
] as const) {
  blocked.addSubnet(net, prefix, "ipv6");
}

/** The IPv4 address inside an IPv4-mapped IPv6 one (`::ffff:10.0.0.1`, `::ffff:a00:1`), else null. */
function mappedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted?.[1]) return dotted[1];
  const hex = /^(?:0{0,4}:){0,5}:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex?.[1] || !hex[2]) return null;
  const high = Number.parseInt(hex[1], 16);
  const low = Number.parseInt(hex[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

/** Whether an IP address is private, loopback, link-local, unique-local, unspecified, multicast or reserved. */
export function isPrivateAddress(address: string): boolean {
  const v4 = isIP(address) === 4 ? address : mappedIpv4(address);
  if (v4) return blocked.check(v4, "ipv4");
  if (isIP(address) !== 6) return true; // not an address at all: never connect to it
  return blocked.check(address, "ipv6");
}

/** A webhook URL refused before any request (bad scheme, private address...). */
export class WebhookUrlRefused extends AppError {
  constructor(message: string) {
    super("BAD_REQUEST", message);
    this.name = "WebhookUrlRefused";
  }
}

export type GuardOptions = {
  allowPrivateNetworks: boolean;
  resolve?: Resolver;
  /**
   * Which addresses count as private (isPrivateAddress). Only tests change
   * it, to treat their receiver on 127.0.0.1 as the outside world and see
   * what the guard does with the redirects it answers.
   */
  isPrivate?: (address: string) => boolean;
};

/** What send.ts connects to: the URL and the one address it was checked at. */
export type CheckedTarget = { url: URL; address: ResolvedAddress };

/**
 * Checks a URL and resolves its host: http(s) only, no credentials in it, and
 * (unless `allowPrivateNetworks`) every address of the host public.
 */
export async function checkWebhookUrl(
  raw: string | URL,
  options: GuardOptions,
): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlRefused("The webhook URL is not a valid URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new WebhookUrlRefused("The webhook URL must start with https:// or http://");
  }
  if (url.username || url.password) {
    throw new WebhookUrlRefused("The webhook URL must not contain a user name or password");
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: ResolvedAddress[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await (options.resolve ?? systemResolver)(host);
    } catch {
      throw new WebhookUrlRefused(`The webhook host ${host} could not be resolved`);
    }
  }
  const [first] = addresses;
  if (!first) throw new WebhookUrlRefused(`The webhook host ${host} has no address`);
  if (!options.allowPrivateNetworks) {
    const isPrivate = options.isPrivate ?? isPrivateAddress;
    const inside = addresses.find((a) => isPrivate(a.address));
    if (inside) {
      throw new WebhookUrlRefused(
        `The webhook URL points at a private, loopback or link-local address (${inside.address}); ` +
          "set WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true to allow it",
      );
    }
  }
  return { url, address: first };
}
