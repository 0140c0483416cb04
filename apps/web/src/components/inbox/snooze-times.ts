// When the snooze presets end, in the agent's own time zone (the browser's).

export type SnoozePreset = { id: string; label: string; until: (now: Date) => Date };

const atNine = (day: Date) => {
  const d = new Date(day);
  d.setHours(9, 0, 0, 0);
  return d;
};

export const SNOOZE_PRESETS: readonly SnoozePreset[] = [
  { id: "hour", label: "1 hour", until: (now) => new Date(now.getTime() + 3_600_000) },
  {
    id: "tomorrow",
    label: "Tomorrow, 9:00",
    until: (now) => {
      const d = atNine(now);
      d.setDate(d.getDate() + 1);
      return d;
    },
  },
  {
    id: "next-week",
    label: "Next week (Monday, 9:00)",
    until: (now) => {
      const d = atNine(now);
      // Days until the next Monday: 1..7 (a Monday snoozes to the one after).
      d.setDate(d.getDate() + ((8 - d.getDay()) % 7 || 7));
      return d;
    },
  },
];

/** The value of a `datetime-local` input for `date` in local time ("2026-12-02T14:30"). */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(
    date.getHours(),
  )}:${pad(date.getMinutes())}`;
}

/** A `datetime-local` value read in local time; null when empty or not a date. */
export function fromLocalInput(value: string): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
