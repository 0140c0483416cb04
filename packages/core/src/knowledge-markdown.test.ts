// How articles are cut into passages and how imported Markdown files become
// articles: pure functions, checked on the texts admins actually write.
import { describe, expect, it } from "vitest";
import { PASSAGE_MAX_CHARS, parseMarkdownArticle, splitIntoPassages } from "./knowledge-markdown";

const paragraph = (word: string, chars: number) =>
  `${`${word} `
    .repeat(Math.ceil(chars / (word.length + 1)))
    .slice(0, chars)
    .trim()}.`;

describe("splitIntoPassages", () => {
  it("starts a passage at each heading and labels it with the title and the heading path", () => {
    const body = [
      "Intro text.",
      "## Refunds",
      "Refunds take five days.",
      "### Digital goods",
      "Digital goods are not refundable.",
      "## Shipping",
      "We ship worldwide.",
    ].join("\n\n");
    expect(splitIntoPassages("Policies", body)).toEqual([
      { heading: "Policies", body: "Intro text." },
      { heading: "Policies › Refunds", body: "Refunds take five days." },
      { heading: "Policies › Refunds › Digital goods", body: "Digital goods are not refundable." },
      { heading: "Policies › Shipping", body: "We ship worldwide." },
    ]);
  });

  it("gathers whole paragraphs up to the maximum length, and cuts a longer paragraph at sentences", () => {
    const paragraphs = ["alpha", "bravo", "charlie", "delta"].map((w) => paragraph(w, 500));
    const passages = splitIntoPassages("Long", paragraphs.join("\n\n"));
    expect(passages.map((p) => p.body)).toEqual([
      `${paragraphs[0]}\n\n${paragraphs[1]}`,
      `${paragraphs[2]}\n\n${paragraphs[3]}`,
    ]);
    const sentences = Array.from({ length: 80 }, (_, i) => `Sentence number ${i} is here.`).join(
      " ",
    );
    const cut = splitIntoPassages("One paragraph", sentences);
    expect(cut.length).toBeGreaterThan(1);
    for (const p of cut) {
      expect(p.body.length).toBeLessThanOrEqual(PASSAGE_MAX_CHARS);
      expect(p.body).toMatch(/^Sentence number \d+ is here\.(.*\.)?$/s);
    }
    expect(cut.map((p) => p.body).join(" ")).toBe(sentences);
  });

  it("keeps a fenced code block whole and does not read # inside it as a heading", () => {
    const body = "Run this:\n\n```sh\n# not a heading\n\necho hi\n```\n\nDone.";
    expect(splitIntoPassages("Code", body)).toEqual([
      { heading: "Code", body: "Run this:\n\n```sh\n# not a heading\n\necho hi\n```\n\nDone." },
    ]);
  });

  it("does not repeat the article's own # Title in the heading path, and keeps an empty article findable", () => {
    expect(splitIntoPassages("Returns", "# Returns\n\nSend it back.")).toEqual([
      { heading: "Returns", body: "Send it back." },
    ]);
    expect(splitIntoPassages("Empty", "")).toEqual([{ heading: "Empty", body: "" }]);
  });
});

describe("parseMarkdownArticle", () => {
  it("takes title and url from front matter", () => {
    const text = `---\ntitle: "Shipping times"\nurl: https://help.example.com/shipping\ntags: [a, b]\n---\n# Ignored heading\n\nWe ship in 2 days.`;
    expect(parseMarkdownArticle("ship.md", text)).toEqual({
      title: "Shipping times",
      body: "# Ignored heading\n\nWe ship in 2 days.",
      url: "https://help.example.com/shipping",
    });
  });

  it("takes the title from the first # heading when it opens the file, and drops it from the body", () => {
    expect(parseMarkdownArticle("x.md", "\uFEFF# Refund policy\r\n\r\nWithin 30 days.")).toEqual({
      title: "Refund policy",
      body: "Within 30 days.",
      url: null,
    });
    // A heading after other text is part of the body; the file name gives the title.
    expect(parseMarkdownArticle("docs/two-factor_auth.md", "Intro.\n\n# Setup\n\nScan.")).toEqual({
      title: "Two factor auth",
      body: "Intro.\n\n# Setup\n\nScan.",
      url: null,
    });
  });
});
