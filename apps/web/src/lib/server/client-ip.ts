// The client's address, decided once per request by the custom server: the
// socket's peer, or an address from X-Forwarded-For only as far as the proxies
// the operator trusts (TRUST_PROXY) vouch for it. The walk goes right to left
// (proxy-addr, as Express does), so a client that writes its own
// X-Forwarded-For only adds hops nobody trusts.
import type { IncomingMessage } from "node:http";
import type { TrustProxy } from "@netia/config";
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
    return withoutIpv4Mapping(proxyaddr(req, trusted));
  };
}

/** `::ffff:203.0.113.7` and `203.0.113.7` are one client: count them under one key. */
function withoutIpv4Mapping(address: string): string {
  const match = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return match?.[1] ?? address;
}
