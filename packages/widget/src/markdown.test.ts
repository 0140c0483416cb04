// Message markdown: what renders, and that no sender can inject markup.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { parseMarkdown, plainText, safeHref } from "./markdown";
import { Markdown } from "./ui/Markdown";

const html = (source: string) => renderToStaticMarkup(createElement(Markdown, { source }));

describe("markdown", () => {
  it("renders the usual chat formatting", () => {
    expect(html("Hello **bold** and *it* and `x < y`")).toBe(
      "<p>Hello <strong>bold</strong> and <em>it</em> and <code>x &lt; y</code></p>",
    );
    expect(html("line one\nline two\n\nnext")).toBe("<p>line one<br/>line two</p><p>next</p>");
    expect(html("- a\n- b")).toBe("<ul><li>a</li><li>b</li></ul>");
    expect(html("3. c\n4. d")).toBe('<ol start="3"><li>c</li><li>d</li></ol>');
    expect(html("```\n<b>code</b>\n```")).toBe("<pre><code>&lt;b&gt;code&lt;/b&gt;</code></pre>");
    expect(html("> quoted")).toBe("<blockquote><p>quoted</p></blockquote>");
    expect(html("~~gone~~")).toBe("<p><del>gone</del></p>");
    expect(html("snake_case_name stays")).toBe("<p>snake_case_name stays</p>");
  });

  it("links only to http(s) and mailto, in a new tab without the opener", () => {
    expect(html("[docs](https://example.com/a?b=1)")).toBe(
      '<p><a href="https://example.com/a?b=1" target="_blank" rel="noopener noreferrer">docs</a></p>',
    );
    expect(html("see https://example.com/x.")).toBe(
      '<p>see <a href="https://example.com/x" target="_blank" rel="noopener noreferrer">https://example.com/x</a>.</p>',
    );
    expect(html("[mail](mailto:a@b.co)")).toContain('href="mailto:a@b.co"');
    for (const bad of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      " javascript:alert(1)",
      "java\tscript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox(1)",
      "/relative",
      "//evil.example",
    ]) {
      expect(safeHref(bad)).toBeNull();
      expect(html(`[x](${bad})`)).not.toContain("<a");
    }
  });

  it("never lets HTML through, whoever wrote it", () => {
    const attacks = [
      '<img src=x onerror="alert(1)">',
      "<script>alert(1)</script>",
      '<a href="javascript:alert(1)">x</a>',
      "**<svg onload=alert(1)>**",
      "[<img src=x onerror=alert(1)>](https://example.com)",
      '<iframe src="https://evil.example"></iframe>',
      "&lt;script&gt;",
    ];
    const allowedTags = new Set([
      "p",
      "br",
      "strong",
      "em",
      "del",
      "code",
      "pre",
      "ul",
      "ol",
      "li",
      "blockquote",
      "a",
    ]);
    const allowedAttributes = new Set(["href", "target", "rel", "start", "class"]);
    for (const source of attacks) {
      const out = html(source);
      for (const [, tag, attributes] of out.matchAll(/<\/?([a-z0-9]+)([^>]*)>/gi)) {
        expect(allowedTags.has(tag!.toLowerCase())).toBe(true);
        for (const [, name] of (attributes ?? "").matchAll(/\s([a-z-]+)=/gi)) {
          expect(allowedAttributes.has(name!.toLowerCase())).toBe(true);
        }
      }
      expect(out).not.toContain('href="javascript');
    }
    expect(html("&lt;script&gt;")).toBe("<p>&amp;lt;script&amp;gt;</p>");
  });

  it("survives pathological input", () => {
    const deep = `${"**".repeat(2000)}x${"**".repeat(2000)}`;
    const started = Date.now();
    expect(() => parseMarkdown(deep)).not.toThrow();
    expect(() => parseMarkdown(`${"[".repeat(5000)}x`)).not.toThrow();
    expect(() => parseMarkdown("_".repeat(10_000))).not.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("gives plain text for previews", () => {
    expect(plainText("**Hi** there,\n- see [docs](https://x.example)")).toBe("Hi there, see docs");
  });
});
