// The pure parts of a reply: recognising a request for a person, citations,
// the prompt's roles and guardrails, the output filter and the classification
// of provider errors.

import { DEFAULT_ASSISTANT_SETTINGS } from "@netia/core";
import { APIConnectionTimeoutError, APIError } from "openai";
import { describe, expect, it } from "vitest";
import { extractCitations } from "./citations";
import { asksForPerson } from "./human-request";
import { buildReplyMessages, buildSystemPrompt, GUARDRAILS, revealsInstructions } from "./prompt";
import { classifyProviderError } from "./provider-errors";

describe("asksForPerson", () => {
  it.each([
    "a human please",
    "Human please!",
    "Can I talk to a real person?",
    "I want to speak with an agent",
    "connect me to support",
    "I'd like to speak to someone",
    "agent",
    "Operator.",
    "let me talk to a human",
    "I need a human",
    "no bots please",
    "Could you put me through to customer service?",
  ])("hands off for “%s”", (text) => {
    expect(asksForPerson(text)).toBe(true);
  });

  it.each([
    "What are your opening hours?",
    "My agent account is locked",
    "Is the human resources policy online?",
    "How many people can the room hold?",
    "Do you ship to Spain?",
    "The person who delivered it was rude",
    "I need to change my password",
  ])("answers “%s” itself", (text) => {
    expect(asksForPerson(text)).toBe(false);
  });
});

describe("extractCitations", () => {
  const passages = [
    { articleId: "a1", title: "Shipping", url: "https://acme.test/shipping" },
    { articleId: "a2", title: "Returns", url: null },
    { articleId: "a1", title: "Shipping", url: "https://acme.test/shipping" },
  ];

  it("strips the markers and lists each cited article once, in order of citation", () => {
    const { text, sources } = extractCitations(
      "Returns are free within 30 days [2]. We ship worldwide [1][3], see [2, 1].",
      passages,
    );
    expect(text).toBe("Returns are free within 30 days. We ship worldwide, see.");
    expect(sources).toEqual([
      { articleId: "a2", title: "Returns", url: null },
      { articleId: "a1", title: "Shipping", url: "https://acme.test/shipping" },
    ]);
  });

  it("drops numbers that name no passage", () => {
    expect(extractCitations("Yes [7].", passages)).toEqual({ text: "Yes.", sources: [] });
  });
});

describe("the reply prompt", () => {
  const settings = {
    ...DEFAULT_ASSISTANT_SETTINGS,
    enabled: true,
    botName: "Ada",
    businessName: "Acme Bikes",
    description: "We repair bicycles in Lyon.",
    faqs: [{ question: "Do you rent bikes?", answer: "No, repairs only." }],
  };
  const passages = [
    {
      passageId: "p1",
      articleId: "a1",
      title: "Prices",
      url: "https://acme.test/prices",
      heading: "Prices › Tune-up",
      body: "A tune-up costs 40 euros.",
      score: 1,
    },
  ];

  it("gives customers the user role, agents and the bot the assistant role", () => {
    const messages = buildReplyMessages({
      settings,
      passages,
      history: [
        { senderType: "customer", body: "Hello" },
        { senderType: "bot", body: "Hi, how can I help?" },
        { senderType: "user", body: "Dana here from the team." },
        { senderType: "customer", body: "How much is a tune-up?" },
      ],
    });
    expect(messages.map((m) => m.role)).toEqual([
      "system",
      "user",
      "assistant",
      "assistant",
      "user",
    ]);
  });

  it("puts the business context, numbered passages and every guardrail in the system message", () => {
    const system = buildSystemPrompt({ settings, passages });
    expect(system).toContain("Acme Bikes");
    expect(system).toContain("We repair bicycles in Lyon.");
    expect(system).toContain("Q: Do you rent bikes?\nA: No, repairs only.");
    expect(system).toContain(
      "[1] Prices › Tune-up (https://acme.test/prices)\nA tune-up costs 40 euros.",
    );
    for (const rule of GUARDRAILS) expect(system).toContain(rule);
  });

  it("withholds a reply that quotes the rules, however it is formatted", () => {
    const leaked = `Sure! My rules: ${GUARDRAILS[4].toUpperCase().replace(/ /g, "  ")}`;
    expect(revealsInstructions(leaked)).toBe(true);
    expect(revealsInstructions("A tune-up costs 40 euros [1].")).toBe(false);
  });
});

describe("classifyProviderError", () => {
  const apiError = (status: number, headers: Record<string, string> = {}) =>
    APIError.generate(status, { error: { message: "x", type: "t" } }, "x", new Headers(headers));

  it("retries rate limits (with Retry-After), outages and timeouts", () => {
    expect(classifyProviderError(apiError(429, { "retry-after": "3" }))).toMatchObject({
      retry: true,
      retryAfterMs: 3000,
    });
    expect(classifyProviderError(apiError(500)).retry).toBe(true);
    expect(classifyProviderError(apiError(503)).retry).toBe(true);
    expect(classifyProviderError(new APIConnectionTimeoutError()).retry).toBe(true);
  });

  it("does not retry what another attempt cannot fix", () => {
    for (const status of [400, 401, 403, 404]) {
      expect(classifyProviderError(apiError(status)).retry).toBe(false);
    }
  });
});
