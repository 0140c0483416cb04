import { expect, it } from "vitest";
import { mrkdwnToMarkdown } from "./mrkdwn";

it("turns Slack's emphasis into markdown's", () => {
  expect(mrkdwnToMarkdown("*bold* and _italic_ and ~gone~")).toBe(
    "**bold** and *italic* and ~~gone~~",
  );
  // Not emphasis: inside words, or unpaired.
  expect(mrkdwnToMarkdown("snake_case_name, 2*3*4 and a * star")).toBe(
    "snake_case_name, 2*3*4 and a * star",
  );
});

it("turns links, mentions and channel links into readable markdown", () => {
  const names = (id: string) => (id === "U1" ? "ana" : undefined);
  expect(
    mrkdwnToMarkdown(
      "see <https://acme.test/a?b=1&amp;c=2|the docs>, <https://x.test>, <@U1>, <@U2>, <#C1|support>, <!here>, <mailto:a@b.test|a@b.test>",
      names,
    ),
  ).toBe(
    "see [the docs](https://acme.test/a?b=1&c=2), https://x.test, @ana, @U2, #support, @here, a@b.test",
  );
});

it("decodes Slack's escapes and leaves code as written", () => {
  expect(mrkdwnToMarkdown("1 &lt; 2 &amp;&amp; 3 &gt; 2")).toBe("1 < 2 && 3 > 2");
  expect(mrkdwnToMarkdown("run `a *b* _c_` then\n```\n*x* &lt;y&gt;\n```")).toBe(
    "run `a *b* _c_` then\n```\n*x* <y>\n```",
  );
});
