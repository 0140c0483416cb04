// Deterministic text embeddings for the fake OpenAI server: a hashed bag of
// word stems, L2-normalised. Texts that share words (after lower-casing,
// dropping accents and stopwords, and light stemming) point the same way, so
// hybrid search can be tested with meaningful rankings and no model.

export const defaultEmbeddingDimensions = 256;

const stopwords = new Set(
  `a about above after again against all am an and any are as at be because been before being
  below between both but by can could did do does doing down during each few for from further had
  has have having he her here hers herself him himself his how i if in into is it its itself just
  me more most my myself no nor not now of off on once only or other our ours ourselves out over
  own same she should so some such than that the their theirs them themselves then there these
  they this those through to too under until up very was we were what when where which while who
  whom why will with would you your yours yourself yourselves`.split(/\s+/),
);

/** Lower-cased words without accents, e.g. "Café, OPEN!" → ["cafe", "open"]. */
export function words(text: string): string[] {
  return (
    text
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/**
 * A crude English stemmer: enough that "refunds", "refunded" and "refunding"
 * meet at "refund", and "prices", "priced" and "pricing" at "pric".
 */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith("ies")) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("s") && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  for (const suffix of ["ing", "ed", "ly"]) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  if (w.length > 3 && w.endsWith("e")) w = w.slice(0, -1);
  // "shipp" (from "shipped", "shipping") → "ship".
  if (/([b-df-hj-km-np-rtv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
  return w;
}

/** The stems an embedding is built from: stopwords dropped unless nothing else is left. */
export function stems(text: string): string[] {
  const all = words(text);
  const content = all.filter((word) => !stopwords.has(word));
  return (content.length > 0 ? content : all).map(stem);
}

/** 32-bit FNV-1a: stable across runs and platforms, unlike anything seeded. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The embedding of `text` with `dimensions` components and unit length. Each
 * stem adds ±1 to one component (the sign from a second hash, so collisions
 * tend to cancel rather than pile up). A text with no words at all gets a
 * fixed unit vector, so every answer is a valid direction.
 */
export function embed(text: string, dimensions = defaultEmbeddingDimensions): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const s of stems(text)) {
    const index = fnv1a(s) % dimensions;
    const sign = fnv1a(`${s}#sign`) & 1 ? 1 : -1;
    vector[index] = (vector[index] ?? 0) + sign;
  }
  const length = Math.hypot(...vector);
  if (length === 0) {
    vector[0] = 1;
    return vector;
  }
  return vector.map((x) => x / length);
}

/** The little-endian float32 bytes in base64, as OpenAI sends `encoding_format: "base64"`. */
export function toBase64(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString("base64");
}

/** Cosine similarity of two vectors of the same length (the dot product, for unit vectors). */
export function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
