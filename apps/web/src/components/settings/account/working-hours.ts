// Working hours as the account form edits them: one row per weekday, open or
// closed, from a start to an end time ("HH:MM"), and the stored form the
// server takes (minutes since midnight, days 0 = Sunday … 6 = Saturday).

export type StoredHours = { day: number; startMinute: number; endMinute: number }[];

export type DayRow = { day: number; open: boolean; start: string; end: string };

/** Monday first, as most calendars show a working week. */
export const WEEK = [
  { day: 1, name: "Monday" },
  { day: 2, name: "Tuesday" },
  { day: 3, name: "Wednesday" },
  { day: 4, name: "Thursday" },
  { day: 5, name: "Friday" },
  { day: 6, name: "Saturday" },
  { day: 0, name: "Sunday" },
] as const;

const DEFAULT_START = "09:00";
const DEFAULT_END = "17:00";

const pad = (n: number) => String(n).padStart(2, "0");

/** 540 → "09:00"; the end of the day (1440) is "00:00", as a time input writes midnight. */
export function timeOf(minute: number): string {
  const m = minute % 1440;
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** "09:30" → 570; null when it is not a time. */
export function minuteOf(time: string): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(time.trim());
  if (!match) return null;
  const [h, m] = [Number(match[1]), Number(match[2])];
  return h < 24 && m < 60 ? h * 60 + m : null;
}

/**
 * One row per weekday. The form edits one period a day; a day stored with
 * several keeps its earliest start and latest end.
 */
export function rowsFromHours(hours: StoredHours): DayRow[] {
  return WEEK.map(({ day }) => {
    const periods = hours.filter((h) => h.day === day);
    if (periods.length === 0) return { day, open: false, start: DEFAULT_START, end: DEFAULT_END };
    const start = Math.min(...periods.map((p) => p.startMinute));
    const end = Math.max(...periods.map((p) => p.endMinute));
    return { day, open: true, start: timeOf(start), end: timeOf(end) };
  });
}

/** The hours to store, or the problem of each day that has one. */
export function hoursFromRows(
  rows: DayRow[],
): { hours: StoredHours; errors: null } | { hours: null; errors: Record<number, string> } {
  const hours: StoredHours = [];
  const errors: Record<number, string> = {};
  for (const row of rows) {
    if (!row.open) continue;
    const start = minuteOf(row.start);
    const rawEnd = minuteOf(row.end);
    if (start === null || rawEnd === null) {
      errors[row.day] = "Enter a start and an end time.";
      continue;
    }
    // Midnight as the end means the end of the day.
    const end = rawEnd === 0 ? 1440 : rawEnd;
    if (end <= start) {
      errors[row.day] = "The end must be after the start.";
      continue;
    }
    hours.push({ day: row.day, startMinute: start, endMinute: end });
  }
  return Object.keys(errors).length > 0 ? { hours: null, errors } : { hours, errors: null };
}
