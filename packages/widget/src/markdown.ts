// A small markdown reader for chat messages. It produces a tree of a few
// known node kinds that the UI turns into elements it creates itself: text
// from any sender only ever becomes text nodes, never HTML, and links keep
// only http(s) and mailto targets.

export type Inline =
  | string
  | { t: "b" | "i" | "s"; c: Inline[] }
  | { t: "code"; v: string }
  | { t: "a"; href: string; c: Inline[] }
  | { t: "br" };

export type Block =
  | { t: "p"; c: Inline[] }
  | { t: "h"; c: Inline[] }
  | { t: "pre"; v: string }
  | { t: "ul" | "ol"; items: Inline[][]; start?: number }
  | { t: "quote"; c: Block[] };

const MAX_DEPTH = 4;

/** The link target if it is absolute http(s) or mailto; otherwise null. */
export function safeHref(raw: string): string | null {
  const value = raw.trim();
  if (!value) return null;
  const candidate = /^www\./i.test(value) ? `https://${value}` : value;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:" && url.protocol !== "mailto:") {
    return null;
  }
  return url.href;
}

const RE = {
  escape: /\\([\\`*_{}[\]()#+\-.!~>|])/y,
  code: /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/y,
  link: /\[([^\]\n]{1,1000})\]\(\s*<?([^\s<>()]+(?:\([^\s()]*\)[^\s<>()]*)*)>?(?:\s+"[^"\n]*")?\s*\)/y,
  auto: /(?:https?:\/\/|mailto:|www\.)[^\s<>"]+/iy,
  bold: /(\*\*|__)(?=\S)([\s\S]*?\S)\1/y,
  strike: /~~(?=\S)([\s\S]*?\S)~~/y,
  italic: /([*_])(?=[^\s*_])([^\n]*?[^\s\\])\1(?![*_])/y,
};

function match(re: RegExp, src: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(src);
}

/** Trailing punctuation is rarely part of a pasted URL. */
function trimUrl(url: string): string {
  let end = url.length;
  while (end > 0) {
    const ch = url[end - 1]!;
    if (".,;:!?'*_~".includes(ch)) end--;
    else if (ch === ")") {
      const body = url.slice(0, end);
      const opens = body.split("(").length - 1;
      const closes = body.split(")").length - 1;
      if (closes > opens) end--;
      else break;
    } else break;
  }
  return url.slice(0, end);
}

const isWordChar = (ch: string | undefined) => !!ch && /[\p{L}\p{N}]/u.test(ch);

export function parseInline(src: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  let text = "";
  const flush = () => {
    if (text) out.push(text);
    text = "";
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    const prev = src[i - 1];
    let m: RegExpExecArray | null;
    m = ch === "\\" ? match(RE.escape, src, i) : null;
    if (m) {
      text += m[1];
      i += m[0].length;
      continue;
    }
    if (ch === "\n") {
      flush();
      out.push({ t: "br" });
      i++;
      continue;
    }
    m = ch === "`" ? match(RE.code, src, i) : null;
    if (m) {
      flush();
      out.push({ t: "code", v: m[2]!.replace(/^ (.*) $/s, "$1") });
      i += m[0].length;
      continue;
    }
    if (depth < MAX_DEPTH) {
      m = ch === "[" ? match(RE.link, src, i) : null;
      if (m) {
        const href = safeHref(m[2]!);
        flush();
        const label = parseInline(m[1]!, depth + 1);
        if (href) out.push({ t: "a", href, c: label });
        else out.push(...label);
        i += m[0].length;
        continue;
      }
      m = (ch === "*" || ch === "_") && src[i + 1] === ch ? match(RE.bold, src, i) : null;
      if (m) {
        const after = src[i + m[0].length];
        if (ch === "*" || (!isWordChar(prev) && !isWordChar(after))) {
          flush();
          out.push({ t: "b", c: parseInline(m[2]!, depth + 1) });
          i += m[0].length;
          continue;
        }
      }
      m = ch === "~" && src[i + 1] === "~" ? match(RE.strike, src, i) : null;
      if (m) {
        flush();
        out.push({ t: "s", c: parseInline(m[1]!, depth + 1) });
        i += m[0].length;
        continue;
      }
      m = ch === "*" || ch === "_" ? match(RE.italic, src, i) : null;
      if (m) {
        const after = src[i + m[0].length];
        if (ch === "*" || (!isWordChar(prev) && !isWordChar(after))) {
          flush();
          out.push({ t: "i", c: parseInline(m[2]!, depth + 1) });
          i += m[0].length;
          continue;
        }
      }
    }
    m = !isWordChar(prev) && /[hmwHMW]/.test(ch) ? match(RE.auto, src, i) : null;
    if (m) {
      const url = trimUrl(m[0]);
      const href = safeHref(url);
      if (href && url.length > 4) {
        flush();
        out.push({ t: "a", href, c: [url] });
        i += url.length;
        continue;
      }
    }
    text += ch;
    i++;
  }
  flush();
  return out;
}

const LIST_ITEM = /^\s{0,3}([-*+]|(\d{1,9})[.)])\s+(.*)$/;
const FENCE = /^\s{0,3}(```+|~~~+)/;

export function parseMarkdown(src: string, depth = 0): Block[] {
  const lines = src.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let para: string[] = [];
  const endPara = () => {
    if (para.length) blocks.push({ t: "p", c: parseInline(para.join("\n")) });
    para = [];
  };
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      endPara();
      const marker = fence[1]!;
      const code: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trimStart().startsWith(marker)) {
        code.push(lines[i]!);
        i++;
      }
      i++; // the closing fence (or the end)
      blocks.push({ t: "pre", v: code.join("\n") });
      continue;
    }
    if (!line.trim()) {
      endPara();
      i++;
      continue;
    }
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      endPara();
      blocks.push({ t: "h", c: parseInline(heading[1]!) });
      i++;
      continue;
    }
    if (/^\s{0,3}>/.test(line) && depth < MAX_DEPTH) {
      endPara();
      const quoted: string[] = [];
      while (i < lines.length && /^\s{0,3}>/.test(lines[i]!)) {
        quoted.push(lines[i]!.replace(/^\s{0,3}> ?/, ""));
        i++;
      }
      blocks.push({ t: "quote", c: parseMarkdown(quoted.join("\n"), depth + 1) });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      endPara();
      const ordered = item[2] !== undefined;
      const start = ordered ? Number(item[2]) : undefined;
      const items: string[][] = [];
      while (i < lines.length) {
        const current = LIST_ITEM.exec(lines[i]!);
        if (current && (current[2] !== undefined) === ordered) {
          items.push([current[3]!]);
        } else if (lines[i]!.trim() && /^\s{2,}/.test(lines[i]!) && items.length) {
          items[items.length - 1]!.push(lines[i]!.trim());
        } else break;
        i++;
      }
      blocks.push({
        t: ordered ? "ol" : "ul",
        items: items.map((parts) => parseInline(parts.join("\n"))),
        ...(ordered && start !== 1 && { start }),
      });
      continue;
    }
    para.push(line);
    i++;
  }
  endPara();
  return blocks;
}

/** Plain text of a message, for previews and screen readers. */
export function plainText(src: string): string {
  const walk = (nodes: Inline[]): string =>
    nodes
      .map((n) =>
        typeof n === "string" ? n : n.t === "br" ? " " : n.t === "code" ? n.v : walk(n.c),
      )
      .join("");
  const block = (b: Block): string => {
    if (b.t === "pre") return b.v;
    if ("items" in b) return b.items.map(walk).join(" ");
    if (b.t === "quote") return b.c.map(block).join(" ");
    return walk(b.c);
  };
  const blocks = (bs: Block[]) => bs.map(block).join(" ");
  return blocks(parseMarkdown(src)).replace(/\s+/g, " ").trim();
}
