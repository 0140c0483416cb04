// The client address as the server decides it, over real sockets: a client
// connecting from 127.0.0.2 is the untrusted internet, 127.0.0.1 the proxy.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { TrustProxy } from "@netia/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClientIpOf, clientIpResolver, clientKey } from "./client-ip";

let server: Server;
let resolve: ClientIpOf;
beforeAll(async () => {
  server = createServer((req, res) => res.end(String(resolve(req))));
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

/** The address the server sees for a request from `from` carrying `forwarded`. */
function seen(trust: TrustProxy, from: string, forwarded?: string): Promise<string> {
  resolve = clientIpResolver(trust);
  const { port } = server.address() as AddressInfo;
  return new Promise((done, fail) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        localAddress: from,
        headers: forwarded ? { "x-forwarded-for": forwarded } : {},
        agent: false,
      },
      (res) => {
        let body = "";
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => done(body));
      },
    );
    req.on("error", fail);
    req.end();
  });
}

describe("with no trusted proxy (the default)", () => {
  it("uses the socket's peer and ignores X-Forwarded-For", async () => {
    expect(await seen({ hops: 0 }, "127.0.0.2")).toBe("127.0.0.2");
    expect(await seen({ hops: 0 }, "127.0.0.2", "203.0.113.9")).toBe("127.0.0.2");
  });
});

describe("with a hop count (TRUST_PROXY=1 on Railway)", () => {
  it("takes the address the nearest proxy appended, not what the client wrote before it", async () => {
    expect(await seen({ hops: 1 }, "127.0.0.1", "203.0.113.9")).toBe("203.0.113.9");
    expect(await seen({ hops: 1 }, "127.0.0.1", "1.2.3.4, 203.0.113.9")).toBe("203.0.113.9");
    expect(await seen({ hops: 2 }, "127.0.0.1", "1.2.3.4, 203.0.113.9, 10.0.0.5")).toBe(
      "203.0.113.9",
    );
    // No header: the peer itself.
    expect(await seen({ hops: 1 }, "127.0.0.1")).toBe("127.0.0.1");
  });
});

describe("with proxy addresses", () => {
  const trust = { addresses: ["127.0.0.1", "10.0.0.0/8"] };

  it("believes X-Forwarded-For only from those proxies, walking from the right", async () => {
    expect(await seen(trust, "127.0.0.1", "203.0.113.9")).toBe("203.0.113.9");
    expect(await seen(trust, "127.0.0.1", "1.2.3.4, 203.0.113.9, 10.1.2.3")).toBe("203.0.113.9");
    // A client that is not a trusted proxy cannot choose its address.
    expect(await seen(trust, "127.0.0.2", "203.0.113.9")).toBe("127.0.0.2");
  });
});

describe("the name a client is counted under", () => {
  it("is an IPv4 address as is, however written, and an IPv6 client's /64", () => {
    expect(clientKey("203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:db8:1:2:ffff:eeee:dddd:cccc")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
  });
});
