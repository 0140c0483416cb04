// The retry link on its own, ahead of a link that answers like a rate-limited
// server (a 429 with Retry-After, as tRPC delivers it) a given number of times.
// Against the real server the wait is a minute; sdk.test.ts covers that path.
import { createTRPCUntypedClient, TRPCClientError, type TRPCLink } from "@trpc/client";
import { observable } from "@trpc/server/observable";
import { describe, expect, it } from "vitest";
import { retryDelayOf, retryOnRateLimit } from "./retry";

function rateLimited(retryAfter: number | undefined) {
  return new TRPCClientError("Too many requests; try again later", {
    result: {
      error: {
        message: "Too many requests; try again later",
        code: -32029,
        data: { code: "TOO_MANY_REQUESTS", httpStatus: 429, retryAfter },
      },
    },
  });
}

/** Fails the first `refusals` calls with a 429, then answers with the attempt number. */
function server(refusals: number, retryAfter: number | undefined = 0) {
  const calls: string[] = [];
  const link: TRPCLink<never> =
    () =>
    ({ op }) =>
      observable((observer) => {
        calls.push(op.type);
        if (calls.length <= refusals) observer.error(rateLimited(retryAfter));
        else {
          observer.next({ result: { type: "data", data: calls.length } });
          observer.complete();
        }
      });
  return { link, calls };
}

function clientOf(link: TRPCLink<never>, options?: Parameters<typeof retryOnRateLimit>[0]) {
  return createTRPCUntypedClient<never>({
    links: [retryOnRateLimit(options) as unknown as TRPCLink<never>, link],
  });
}

describe("retrying after 429", () => {
  it("tries again after Retry-After, queries and mutations alike", async () => {
    const query = server(2);
    expect(await clientOf(query.link).query("tags.list")).toBe(3);
    expect(query.calls).toEqual(["query", "query", "query"]);
    const mutation = server(1);
    expect(await clientOf(mutation.link).mutation("messages.reply", {})).toBe(2);
  });

  it("gives up after maxRetries with the 429 itself", async () => {
    const stubborn = server(10);
    const error = await clientOf(stubborn.link, { maxRetries: 2 })
      .query("tags.list")
      .catch((e: unknown) => e);
    expect(retryDelayOf(error)).toBe(0);
    expect(stubborn.calls).toHaveLength(3);
  });

  it("does not wait longer than maxDelayMs", async () => {
    const slow = server(1, 120);
    const error = await clientOf(slow.link, { maxDelayMs: 60_000 })
      .query("tags.list")
      .catch((e: unknown) => e);
    expect(retryDelayOf(error)).toBe(120_000);
    expect(slow.calls).toHaveLength(1);
  });

  it("leaves other errors alone", () => {
    const notFound = new TRPCClientError("x", {
      result: { error: { message: "x", code: -32004, data: { code: "NOT_FOUND" } } },
    });
    expect(retryDelayOf(notFound)).toBeNull();
    expect(retryDelayOf(new Error("x"))).toBeNull();
  });
});
