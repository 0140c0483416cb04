const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Made once: building an Intl.DateTimeFormat costs far more than using one,
// and list rows and messages format a time on every render while scrolling.
const formats = {
  shortDate: new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" }),
  clock: new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" }),
  dateAndClock: new Intl.DateTimeFormat(undefined, {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }),
  full: new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }),
};

/** A timestamp in full, for tooltips: "Dec 2, 2026, 4:05 PM". */
export function fullTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : formats.full.format(date);
}

/** Short age of a timestamp for lists: "now", "5m", "3h", "2d", then a date. */
export function shortAge(iso: string, now: number = Date.now()): string {
  const time = new Date(iso).getTime();
  if (Number.isNaN(time)) return "";
  const age = Math.max(0, now - time);
  if (age < MINUTE) return "now";
  if (age < HOUR) return `${Math.floor(age / MINUTE)}m`;
  if (age < DAY) return `${Math.floor(age / HOUR)}h`;
  if (age < 7 * DAY) return `${Math.floor(age / DAY)}d`;
  return formats.shortDate.format(time);
}

/** Time of a message in a thread: the clock time today, else date and time. */
export function messageTime(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const sameDay = date.toDateString() === now.toDateString();
  return sameDay ? formats.clock.format(date) : formats.dateAndClock.format(date);
}

/** How a customer is shown: name, else email, else a neutral label. */
export function customerLabel(customer: { name?: string | null; email?: string | null }): string {
  return customer.name?.trim() || customer.email?.trim() || "Anonymous visitor";
}

/** Initials for an avatar. */
export function initials(label: string): string {
  const parts = label
    .replace(/@.*/, "")
    .split(/[\s._-]+/)
    .filter(Boolean);
  const letters =
    parts.length > 1 ? `${parts[0]![0]}${parts[1]![0]}` : (parts[0] ?? "?").slice(0, 2);
  return letters.toUpperCase();
}
