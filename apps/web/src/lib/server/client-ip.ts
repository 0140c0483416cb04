// The client's address, decided once per request by the custom server: the
// socket's peer, or an address from X-Forwarded-For only as far as the proxies
// the operator trusts (TRUST_PROXY) vouch for it. The walk goes right to left
// (proxy-addr, as Express does), so a client that writes its own
// X-Forwarded-For only adds hops nobody trusts.
//
// An IPv6 client is named by its /64 network: one subscriber usually holds a
// whole /64, so counting single addresses would let it rotate past per-IP
// limits.
import type { IncomingMessage } from "node:http";
import type { TrustProxy } from "@netia/config";
import ipaddr from "ipaddr.js";
import proxyaddr from "proxy-addr";

export type ClientIpOf = (req: IncomingMessage) => string | null;

export function clientIpResolver(trust: TrustProxy): ClientIpOf {
  const trusted =
    "hops" in trust
      ? // The socket's peer is hop 0; trusting N hops believes what the nearest N proxies say.
        (_address: string, hop: number) => hop < trust.hops
      : proxyaddr.compile(trust.addresses);
  return (req) => {
    if (!req.socket.remoteAddress) return null;
    return clientKey(proxyaddr(req, trusted));
  };
}

/**
 * One client, one name: an IPv4 address as is (also when written IPv4-mapped,
 * `::ffff:203.0.113.7`), an IPv6 address as its /64 (`2001:db8:1:2::/64`).
 */
export function clientKey(address: string): string {
  if (!ipaddr.isValid(address)) return address.slice(0, 64);
  const ip = ipaddr.process(address);
  if (ip.kind() === "ipv4") return ip.toString();
  return `${ip.toNormalizedString().split(":").slice(0, 4).join(":")}::/64`;
}
