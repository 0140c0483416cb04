// What outside input must be before it reaches Postgres. Postgres refuses NUL
// characters in text and dates outside its range, and a lone UTF-16 surrogate
// has no UTF-8 form (the driver would silently replace it): such input is the
// caller's mistake, so the edge answers it with a 400 instead of letting the
// database fail with a 500. The API's schemas build every string on ZText.
import { z } from "zod";

/** A NUL character, or half of a surrogate pair without its other half. */
const NOT_TEXT = /[\0\p{Cs}]/u;

export function isWellFormedText(value: string): boolean {
  return !NOT_TEXT.test(value);
}

export const NOT_TEXT_MESSAGE = "must be text without NUL characters or unpaired surrogates";

/** The one string schema every outside input is built on. */
export const ZText = z.string().refine(isWellFormedText, NOT_TEXT_MESSAGE);

/**
 * An http(s) URL. zod's URL check alone lets control characters through, and
 * any scheme: a `javascript:` link shown to agents or customers would run.
 */
export const ZUrl = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
  .refine(isWellFormedText, NOT_TEXT_MESSAGE);

/** Dates Netia accepts from outside: 1970 to 9999, well inside what Postgres stores. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(10_000, 0, 1) - 1;

export function isStorableDate(date: Date): boolean {
  const t = date.getTime();
  return t >= EARLIEST && t <= LATEST;
}

export const DATE_RANGE_MESSAGE = "must be a date from 1970 to 9999";
