// biome-ignore-all lint/suspicious/noArrayIndexKey: the nodes of one message never move
// Renders a message's markdown as elements this component creates itself.
// Sender text only ever becomes text nodes; links are http(s)/mailto only and
// open in a new tab without access to the page (noopener noreferrer).
import { createElement, Fragment, memo, type ReactNode } from "react";
import { type Block, type Inline, parseMarkdown } from "../markdown";

function inline(nodes: Inline[]): ReactNode[] {
  return nodes.map((node, i) => {
    if (typeof node === "string") return node;
    switch (node.t) {
      case "br":
        return <br key={i} />;
      case "code":
        return <code key={i}>{node.v}</code>;
      case "b":
        return <strong key={i}>{inline(node.c)}</strong>;
      case "i":
        return <em key={i}>{inline(node.c)}</em>;
      case "s":
        return <del key={i}>{inline(node.c)}</del>;
      case "a":
        return (
          <a key={i} href={node.href} target="_blank" rel="noopener noreferrer">
            {inline(node.c)}
          </a>
        );
      default:
        return null;
    }
  });
}

function blocks(list: Block[]): ReactNode[] {
  return list.map((block, i) => {
    switch (block.t) {
      case "p":
        return <p key={i}>{inline(block.c)}</p>;
      case "h":
        return (
          <p key={i}>
            <strong className="nw-h">{inline(block.c)}</strong>
          </p>
        );
      case "pre":
        return (
          <pre key={i}>
            <code>{block.v}</code>
          </pre>
        );
      case "quote":
        return <blockquote key={i}>{blocks(block.c)}</blockquote>;
      case "ul":
      case "ol":
        return createElement(
          block.t,
          { key: i, ...(block.start !== undefined && { start: block.start }) },
          block.items.map((item, j) => <li key={j}>{inline(item)}</li>),
        );
      default:
        return null;
    }
  });
}

export const Markdown = memo(function Markdown({ source }: { source: string }) {
  return createElement(Fragment, null, ...blocks(parseMarkdown(source)));
});
