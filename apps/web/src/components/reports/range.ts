// The range a report covers, as the server takes it: the account's days from
// `from` (included) to `to` (excluded). People pick inclusive ends, so the
// custom form's last day is moved by one here and nowhere else.

export type ReportRange = { from: string; to: string };

export const PRESET_DAYS = [7, 30, 90] as const;
export type PresetDays = (typeof PRESET_DAYS)[number];

/** The longest range the server accepts, in days. */
export const MAX_RANGE_DAYS = 366;

/** Today's date (YYYY-MM-DD) in `timeZone`. */
export function todayIn(timeZone: string, now = new Date()): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone }).format(now);
}

/** `day` moved by `days`, on the calendar. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The last `days` days, today included. */
export function lastDays(days: number, today: string): ReportRange {
  return { from: addDays(today, -(days - 1)), to: addDays(today, 1) };
}

/** The range from `first` to `last`, both included, or why it cannot be one. */
export function customRange(first: string, last: string): ReportRange | { error: string } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(first) || !/^\d{4}-\d{2}-\d{2}$/.test(last)) {
    return { error: "Choose both days." };
  }
  if (first > last) return { error: "The first day must not be after the last." };
  const to = addDays(last, 1);
  if ((Date.parse(to) - Date.parse(first)) / 86_400_000 > MAX_RANGE_DAYS) {
    return { error: `A report covers at most ${MAX_RANGE_DAYS} days.` };
  }
  return { from: first, to };
}

/** The range's last day (its `to` is the day after). */
export const lastDayOf = (range: ReportRange) => addDays(range.to, -1);
