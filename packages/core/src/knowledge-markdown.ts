// How a knowledge-base article written in Markdown becomes what the assistant
// searches: passages cut by headings, then by length at paragraph boundaries,
// each labelled with the article's title and the headings above it (so a
// passage about "Refunds › Digital goods" is found by words of either). And how
// an imported .md file becomes an article: title from front matter, the first
// `# heading` or the file name. Pure functions: no database here.

/**
 * Paragraphs are gathered into one passage up to this length; a paragraph
 * longer still is cut at sentences. Long enough to carry an answer with its
 * context, short enough that three passages fit a prompt comfortably.
 */
export const PASSAGE_MAX_CHARS = 1200;

export type PassageDraft = { heading: string; body: string };

type Section = { path: string[]; blocks: string[] };

const HEADING = /^(#{1,6})[ \t]+(.+?)[ \t#]*$/;
const FENCE = /^(```|~~~)/;

/** The article's sections: the text under each heading, cut into blocks at blank lines (a fenced code block stays whole). */
function sections(body: string): Section[] {
  const out: Section[] = [{ path: [], blocks: [] }];
  const stack: { level: number; text: string }[] = [];
  let block: string[] = [];
  let fence: string | null = null;
  const current = () => out[out.length - 1] as Section;
  const endBlock = () => {
    const text = block.join("\n").trim();
    if (text) current().blocks.push(text);
    block = [];
  };
  for (const line of body.replace(/\r\n?/g, "\n").split("\n")) {
    if (fence) {
      block.push(line);
      if (line.trimStart().startsWith(fence)) {
        fence = null;
        endBlock();
      }
      continue;
    }
    const opening = FENCE.exec(line.trimStart());
    if (opening) {
      endBlock();
      fence = opening[1] as string;
      block.push(line);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      endBlock();
      const level = (heading[1] as string).length;
      while (stack.length > 0 && (stack[stack.length - 1] as { level: number }).level >= level) {
        stack.pop();
      }
      stack.push({ level, text: (heading[2] as string).trim() });
      out.push({ path: stack.map((h) => h.text), blocks: [] });
      continue;
    }
    if (line.trim() === "") endBlock();
    else block.push(line);
  }
  endBlock();
  return out.filter((s) => s.blocks.length > 0);
}

/** A block longer than the maximum, cut at sentence ends (or, failing those, at spaces). */
function cutLong(block: string): string[] {
  if (block.length <= PASSAGE_MAX_CHARS) return [block];
  const sentences = block.match(/[^.!?\n]+(?:[.!?]+|\n|$)\s*/g) ?? [block];
  const pieces: string[] = [];
  let piece = "";
  for (const sentence of sentences) {
    if (piece && piece.length + sentence.length > PASSAGE_MAX_CHARS) {
      pieces.push(piece.trim());
      piece = "";
    }
    piece += sentence;
    while (piece.length > PASSAGE_MAX_CHARS) {
      const space = piece.lastIndexOf(" ", PASSAGE_MAX_CHARS);
      const at = space > PASSAGE_MAX_CHARS / 2 ? space : PASSAGE_MAX_CHARS;
      pieces.push(piece.slice(0, at).trim());
      piece = piece.slice(at);
    }
  }
  if (piece.trim()) pieces.push(piece.trim());
  return pieces;
}

/** Blocks gathered into passages of whole paragraphs, each at most PASSAGE_MAX_CHARS long. */
function gather(blocks: string[]): string[] {
  const passages: string[] = [];
  let passage = "";
  for (const block of blocks.flatMap(cutLong)) {
    const joined = passage ? `${passage}\n\n${block}` : block;
    if (passage && joined.length > PASSAGE_MAX_CHARS) {
      passages.push(passage);
      passage = block;
    } else {
      passage = joined;
    }
  }
  if (passage) passages.push(passage);
  return passages;
}

/**
 * The passages of an article, in order. Each heading starts a passage; long
 * sections are cut at paragraph boundaries. An article without text is one
 * passage holding its title, so it can still be found.
 */
export function splitIntoPassages(title: string, body: string): PassageDraft[] {
  const drafts = sections(body).flatMap((section) => {
    // The article's own `# Title` line repeats the title: it is not a level of the path.
    const path = section.path[0] === title ? section.path.slice(1) : section.path;
    const heading = [title, ...path].join(" › ");
    return gather(section.blocks).map((text) => ({ heading, body: text }));
  });
  return drafts.length > 0 ? drafts : [{ heading: title, body: "" }];
}

export type ParsedArticle = { title: string; body: string; url: string | null };

const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n---[ \t]*(?:\n|$)/;

/** `key: value` lines of a front matter block (quotes around a value dropped); other YAML is ignored. */
function frontMatterFields(block: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of block.split("\n")) {
    const match = /^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!match) continue;
    fields[(match[1] as string).toLowerCase()] = (match[2] as string).replace(
      /^(["'])(.*)\1$/,
      "$2",
    );
  }
  return fields;
}

/** "shipping-and_returns.md" → "Shipping and returns". */
function titleFromFileName(name: string): string {
  const base = (name.split(/[\\/]/).pop() ?? name).replace(/\.(md|markdown|txt)$/i, "");
  const words = base.replace(/[-_]+/g, " ").replace(/\s+/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : "Untitled";
}

/**
 * An imported Markdown file as an article. The title comes from front matter
 * (`title:`), else from the first `# heading` (removed from the body, where it
 * would repeat the title), else from the file name. `url:` in front matter is
 * the article's public page. The URL is returned as written: the caller
 * validates it.
 */
export function parseMarkdownArticle(fileName: string, text: string): ParsedArticle {
  let body = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  let fields: Record<string, string> = {};
  const front = FRONT_MATTER.exec(body);
  if (front) {
    fields = frontMatterFields(front[1] as string);
    body = body.slice(front[0].length);
  }
  let title = fields.title?.trim() || "";
  if (!title) {
    const h1 = /^#[ \t]+(.+?)[ \t#]*$/m.exec(body);
    // Only a heading before any other text is the article's title.
    if (h1 && body.slice(0, h1.index).trim() === "") {
      title = (h1[1] as string).trim();
      body = body.slice(h1.index + h1[0].length);
    }
  }
  return {
    title: title || titleFromFileName(fileName),
    body: body.trim(),
    url: fields.url?.trim() || null,
  };
}
