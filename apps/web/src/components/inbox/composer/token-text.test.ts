import { describe, expect, it } from "vitest";
import { activeToken, liveMentionIds, matching, replaceToken } from "./token-text";

describe("activeToken", () => {
  it("finds the @word ending at the caret", () => {
    expect(activeToken("hi @be", 6, "@")).toEqual({ start: 3, end: 6, query: "be" });
    expect(activeToken("@", 1, "@")).toEqual({ start: 0, end: 1, query: "" });
    // The caret in the middle of the text, after the token.
    expect(activeToken("ask @al now", 7, "@")).toEqual({ start: 4, end: 7, query: "al" });
  });

  it("ignores a trigger inside a word, and a token the caret left", () => {
    expect(activeToken("mail a@b.co", 11, "@")).toBeNull();
    expect(activeToken("hi @bea and", 11, "@")).toBeNull();
    expect(activeToken("no trigger", 4, "@")).toBeNull();
  });

  it("opens saved replies at the start of the text or after whitespace only", () => {
    expect(activeToken("/ref", 4, "/")).toEqual({ start: 0, end: 4, query: "ref" });
    expect(activeToken("Hi\n/tha", 7, "/")).toEqual({ start: 3, end: 7, query: "tha" });
    expect(activeToken("see a/b", 7, "/")).toBeNull();
    expect(activeToken("/two words", 10, "/")).toBeNull();
  });
});

describe("replaceToken", () => {
  it("replaces the token and puts the caret after the replacement", () => {
    expect(replaceToken("hi @be there", { start: 3, end: 6 }, "@Bea ")).toEqual({
      text: "hi @Bea  there",
      caret: 8,
    });
    expect(replaceToken("/thx", { start: 0, end: 4 }, "Thank you!")).toEqual({
      text: "Thank you!",
      caret: 10,
    });
  });
});

describe("liveMentionIds", () => {
  const bea = { userId: "u1", name: "Bea Smith" };
  const al = { userId: "u2", name: "Al" };

  it("keeps the mentions still in the text, each once", () => {
    expect(liveMentionIds("@Bea Smith and @Al, see", [bea, al, bea])).toEqual(["u1", "u2"]);
  });

  it("drops a mention whose @Name was deleted or edited into another word", () => {
    expect(liveMentionIds("Bea Smith and @Alice", [bea, al])).toEqual([]);
    expect(liveMentionIds("@Bea Smithers", [bea])).toEqual([]);
    expect(liveMentionIds("x@Al", [al])).toEqual([]);
  });

  it("reads names with characters regular expressions treat specially", () => {
    expect(liveMentionIds("@J. (QA)+ ok", [{ userId: "u3", name: "J. (QA)+" }])).toEqual(["u3"]);
  });
});

describe("matching", () => {
  const names = ["Bea Smith", "Al Bell", "Carla"];
  it("matches the start of the name or of any word in it", () => {
    expect(matching(names, "", (n) => n)).toEqual(names);
    expect(matching(names, "be", (n) => n)).toEqual(["Bea Smith", "Al Bell"]);
    expect(matching(names, "CAR", (n) => n)).toEqual(["Carla"]);
    expect(matching(names, "arl", (n) => n)).toEqual([]);
  });
});
