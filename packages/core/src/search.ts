// Search across an account: message bodies (private notes included, marked),
// customers (name, email, external id) and companies (name, website), with
// Postgres full-text search. The same SQL runs on Postgres and on the embedded
// PGlite. Each WHERE clause uses the expression its GIN index is built on
// (messageSearchVector, customerSearchVector, companySearchVector in the
// schema), so a search reads the index, not every row of the account.
import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { type SQL, sql } from "drizzle-orm";

const {
  messages,
  conversations,
  customers,
  companies,
  messageSearchVector,
  customerSearchVector,
  companySearchVector,
} = schema;

export const SEARCH_KINDS = ["message", "customer", "company"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

type Hit = { id: string; title: string | null; snippet: string; rank: number };
export type SearchResult =
  | (Hit & {
      kind: "message";
      conversationId: string;
      customerId: string;
      private: boolean;
      createdAt: Date;
    })
  | (Hit & { kind: "customer" })
  | (Hit & { kind: "company" });

/** At most this many words of a query count: a pasted paragraph is not a search. */
const MAX_TERMS = 8;

/**
 * The query as a tsquery of prefixes, every word required: "ref sho" finds
 * "refund for shoes" while the agent is still typing. Only letters and digits
 * reach to_tsquery, so no input can be a tsquery syntax error. Null when the
 * query has no word to search for.
 */
export function prefixTsquery(query: string): string | null {
  const terms =
    query
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu)
      ?.slice(0, MAX_TERMS) ?? [];
  return terms.length === 0 ? null : terms.map((t) => `${t}:*`).join(" & ");
}

// ts_headline wraps matches in two control characters, which cannot come from
// the text itself (they are removed from it first). Its parser would drop
// anything shaped like an HTML tag, so "<" and ">" travel as two other control
// characters and are put back. The snippet is then HTML-escaped and only the
// match markers become <mark> tags: see highlightedHtml.
const START = "\u0002";
const STOP = "\u0003";
const LT = "\u0004";
const GT = "\u0005";
const HEADLINE_OPTIONS = `StartSel=${START}, StopSel=${STOP}, MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=" … "`;
const headline = (config: "english" | "simple", text: SQL, query: SQL) =>
  sql`ts_headline(${sql.raw(`'${config}'`)}, translate(${text}, ${`<>${START}${STOP}`}, ${LT + GT}), ${query}, ${HEADLINE_OPTIONS})`;

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  [LT]: "&lt;",
  [GT]: "&gt;",
};

/**
 * A headline as HTML that is safe to insert: every character of the stored
 * text is escaped, and the only markup is <mark>…</mark> around the matches.
 */
export function highlightedHtml(headlineText: string): string {
  let html = "";
  let open = false;
  for (const c of headlineText) {
    if (c === START) {
      if (!open) html += "<mark>";
      open = true;
    } else if (c === STOP) {
      if (open) html += "</mark>";
      open = false;
    } else {
      html += HTML_ESCAPES[c] ?? c;
    }
  }
  return open ? `${html}</mark>` : html;
}

type Row = Record<string, unknown>;
async function rows(db: Db, query: SQL): Promise<Row[]> {
  return ((await db.execute(query)) as unknown as { rows: Row[] }).rows;
}

/**
 * A common word matches tens of thousands of an account's messages, and
 * ranking reads each one's body (ts_rank needs its vector). Only the newest
 * matches are ranked: what an agent looks for is nearly always recent, and a
 * search stays fast however common the word.
 */
export const RANKED_MESSAGE_MATCHES = 500;

/**
 * How many of the account's newest messages the first pass reads. A common
 * word has its newest RANKED_MESSAGE_MATCHES matches among them, found by
 * walking the (account, seq) index backwards: cheap. Through the GIN index
 * the same word would mean visiting every one of its tens of thousands of
 * matches (the planner cannot tell how common a prefix is) only to keep the
 * newest. A rarer word comes up short here and is looked up in the GIN index.
 */
export const NEWEST_MESSAGES_SCANNED = 2000;

async function searchMessages(db: Db, accountId: string, tsquery: string, limit: number) {
  const q = sql`to_tsquery('english', ${tsquery})`;
  const matches = sql`${messageSearchVector(sql`body`)} @@ ${q}`;
  const columns = sql`${messages.id} as id, ${messages.conversationId} as conversation_id,
      ${messages.private} as private, ${messages.createdAt} as created_at,
      ${messages.body} as body, ${messages.seq} as seq`;
  // First pass: the newest matches among the account's newest messages.
  const newest = sql`
    select * from (
      select ${columns} from ${messages}
      where ${messages.accountId} = ${accountId}
      order by ${messages.seq} desc
      limit ${NEWEST_MESSAGES_SCANNED}
    ) newest
    where ${matches}
    order by seq desc
    limit ${RANKED_MESSAGE_MATCHES}`;
  let found = await rankedMessages(db, accountId, newest, q, limit);
  if (found.matched < RANKED_MESSAGE_MATCHES) {
    // Fewer matches than are ranked: the first pass may have missed older
    // ones, which the GIN index finds directly.
    const indexed = sql`
      select ${columns} from ${messages}
      where ${messages.accountId} = ${accountId} and ${messageSearchVector(messages.body)} @@ ${q}
      order by ${messages.seq} desc
      limit ${RANKED_MESSAGE_MATCHES}`;
    found = await rankedMessages(db, accountId, indexed, q, limit);
  }
  return found.results;
}

/** Ranks the candidate matches, then builds headlines (the costly part) for the best few only. */
async function rankedMessages(db: Db, accountId: string, candidates: SQL, q: SQL, limit: number) {
  const found = await rows(
    db,
    sql`
    with recent as (${candidates})
    select best.id, best.conversation_id, best.private, best.created_at, best.rank,
           ${headline("english", sql`best.body`, q)} as snippet,
           coalesce(nullif(trim(c.name), ''), c.email) as title, c.id as customer_id,
           (select count(*) from recent) as matched
    from (
      select recent.*, ts_rank(${messageSearchVector(sql`recent.body`)}, ${q}) as rank
      from recent
      order by rank desc, recent.seq desc
      limit ${limit}
    ) best
    join ${conversations} conv on conv.id = best.conversation_id and conv.account_id = ${accountId}
    join ${customers} c on c.id = conv.customer_id
    order by best.rank desc, best.created_at desc`,
  );
  return {
    matched: Number(found[0]?.matched ?? 0),
    results: found.map(
      (r): SearchResult => ({
        kind: "message",
        id: String(r.id),
        conversationId: String(r.conversation_id),
        customerId: String(r.customer_id),
        private: Boolean(r.private),
        createdAt: new Date(r.created_at as string | Date),
        title: (r.title as string | null) ?? null,
        snippet: highlightedHtml(String(r.snippet)),
        rank: Number(r.rank),
      }),
    ),
  };
}

async function searchCustomers(db: Db, accountId: string, tsquery: string, limit: number) {
  const q = sql`to_tsquery('simple', ${tsquery})`;
  const vector = customerSearchVector(customers);
  const found = await rows(
    db,
    sql`
    select ${customers.id} as id, coalesce(nullif(trim(${customers.name}), ''), ${customers.email}) as title,
           ${headline("simple", sql`concat_ws(' · ', ${customers.name}, ${customers.email}, ${customers.externalId})`, q)} as snippet,
           ts_rank(${vector}, ${q}) as rank
    from ${customers}
    where ${customers.accountId} = ${accountId} and ${vector} @@ ${q}
    order by rank desc, ${customers.id}
    limit ${limit}`,
  );
  return found.map(
    (r): SearchResult => ({
      kind: "customer",
      id: String(r.id),
      title: (r.title as string | null) ?? null,
      snippet: highlightedHtml(String(r.snippet)),
      rank: Number(r.rank),
    }),
  );
}

async function searchCompanies(db: Db, accountId: string, tsquery: string, limit: number) {
  const q = sql`to_tsquery('simple', ${tsquery})`;
  const vector = companySearchVector(companies);
  const found = await rows(
    db,
    sql`
    select ${companies.id} as id, ${companies.name} as title,
           ${headline("simple", sql`concat_ws(' · ', ${companies.name}, ${companies.website})`, q)} as snippet,
           ts_rank(${vector}, ${q}) as rank
    from ${companies}
    where ${companies.accountId} = ${accountId} and ${vector} @@ ${q}
    order by rank desc, ${companies.id}
    limit ${limit}`,
  );
  return found.map(
    (r): SearchResult => ({
      kind: "company",
      id: String(r.id),
      title: (r.title as string | null) ?? null,
      snippet: highlightedHtml(String(r.snippet)),
      rank: Number(r.rank),
    }),
  );
}

const searchers = { message: searchMessages, customer: searchCustomers, company: searchCompanies };

/** The account's best matches for `query` among `kinds`, best first, at most `limit`. */
export async function search(
  db: Db,
  input: { accountId: string; query: string; kinds?: readonly SearchKind[]; limit: number },
): Promise<SearchResult[]> {
  const tsquery = prefixTsquery(input.query);
  if (!tsquery) return [];
  const kinds = input.kinds?.length ? [...new Set(input.kinds)] : SEARCH_KINDS;
  // One after another: the embedded database is a single connection anyway.
  const results: SearchResult[] = [];
  for (const kind of kinds) {
    results.push(...(await searchers[kind](db, input.accountId, tsquery, input.limit)));
  }
  return results.sort((x, y) => y.rank - x.rank).slice(0, input.limit);
}
