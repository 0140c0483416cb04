// Message bodies as safe markdown, with react-markdown (no rehype-raw): the
// text is parsed to a syntax tree and rendered as React elements, so raw HTML
// in a body is shown as text, never parsed; only the elements below survive,
// and links keep only absolute http(s) and mailto targets.
import { memo } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkBreaks from "remark-breaks";
import remarkGfm from "remark-gfm";
import { safeHref } from "@/lib/safe-href";
import { cn } from "@/lib/utils";

/** What a chat message may contain; headings, tables and the like keep only their text. */
const ALLOWED_ELEMENTS = [
  "p",
  "br",
  "strong",
  "em",
  "del",
  "code",
  "pre",
  "a",
  "ul",
  "ol",
  "li",
  "blockquote",
];

const components: Components = {
  a: ({ href, children }) =>
    href ? (
      <a
        href={href}
        target="_blank"
        rel="noopener noreferrer"
        className="underline underline-offset-2"
      >
        {children}
      </a>
    ) : (
      // An unsafe or relative target: the words stay, the link goes.
      <span>{children}</span>
    ),
  p: ({ children }) => <p className="[&:not(:first-child)]:mt-2">{children}</p>,
  ul: ({ children }) => <ul className="my-1 list-disc pl-5">{children}</ul>,
  ol: ({ children }) => <ol className="my-1 list-decimal pl-5">{children}</ol>,
  blockquote: ({ children }) => (
    <blockquote className="my-1 border-l-2 pl-2 opacity-90">{children}</blockquote>
  ),
  pre: ({ children }) => (
    <pre className="my-1 overflow-x-auto rounded bg-foreground/10 p-2 text-xs">{children}</pre>
  ),
  code: ({ children }) => (
    <code className="rounded bg-foreground/10 px-1 font-mono text-[0.85em]">{children}</code>
  ),
};

/**
 * A message body rendered as markdown. Memoized: a thread re-renders its
 * visible rows on every scroll frame, and parsing is the costly part.
 */
export const Markdown = memo(function Markdown({
  text,
  className,
}: {
  text: string;
  className?: string;
}) {
  return (
    <div className={cn("break-words", className)} data-testid="message-body">
      <ReactMarkdown
        remarkPlugins={[remarkGfm, remarkBreaks]}
        allowedElements={ALLOWED_ELEMENTS}
        unwrapDisallowed
        urlTransform={safeHref}
        components={components}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
});
