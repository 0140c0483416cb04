"use client";

import { FieldError } from "../fields";
import { type DayRow, WEEK } from "./working-hours";

/** A row per weekday: open or closed, and from when to when. */
export function WorkingHoursFields({
  rows,
  errors,
  onChange,
}: {
  rows: DayRow[];
  errors: Record<number, string>;
  onChange: (rows: DayRow[]) => void;
}) {
  const change = (day: number, patch: Partial<DayRow>) =>
    onChange(rows.map((row) => (row.day === day ? { ...row, ...patch } : row)));

  return (
    <fieldset className="grid gap-2" data-testid="working-hours">
      <legend className="mb-2 text-sm font-medium">Working hours</legend>
      <p className="text-xs text-muted-foreground">
        In the account's time zone. With no day open, the team counts as always available.
      </p>
      <ul className="grid gap-2">
        {rows.map((row) => {
          const name = WEEK.find((w) => w.day === row.day)?.name ?? "";
          const errorId = `hours-${row.day}`;
          const error = errors[row.day];
          return (
            <li key={row.day} className="grid gap-1" data-testid={`hours-${name.toLowerCase()}`}>
              <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
                <label className="flex w-32 items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    checked={row.open}
                    onChange={(e) => change(row.day, { open: e.target.checked })}
                    className="size-4 accent-primary"
                  />
                  {name}
                </label>
                {row.open ? (
                  <span className="flex items-center gap-2 text-sm">
                    <input
                      type="time"
                      aria-label={`${name} opens at`}
                      value={row.start}
                      onChange={(e) => change(row.day, { start: e.target.value })}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? `${errorId}-error` : undefined}
                      className="h-9 rounded-md border border-input bg-background px-2 text-sm outline-none focus-visible:border-ring focus-visible:ring-2 focus-visible:ring-ring/30"
                    />
                    <span className="text-muted-foreground">to</span>
                    <input
                      type="time"
                      aria-label={`${name} closes at`}
                      value={row.end}
                      onChange={(e) => change(row.day, { end: e.target.value })}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? `${errorId}-error` : undefined}
                      className="h-9 rounded-md border border-input bg-background px-2 text-sm outline-none focus-visible:border-ring focus-visible:ring-2 focus-visible:ring-ring/30"
                    />
                  </span>
                ) : (
                  <span className="text-sm text-muted-foreground">Closed</span>
                )}
              </div>
              <FieldError id={errorId} error={error} />
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}
