"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";
import {
  customRange,
  lastDayOf,
  lastDays,
  PRESET_DAYS,
  type PresetDays,
  type ReportRange,
} from "./range";

export type RangeChoice = { preset: PresetDays } | { custom: ReportRange };

export function rangeOf(choice: RangeChoice, today: string): ReportRange {
  return "preset" in choice ? lastDays(choice.preset, today) : choice.custom;
}

/** Last 7, 30 or 90 days, or a custom first and last day. */
export function RangePicker({
  choice,
  today,
  onChange,
}: {
  choice: RangeChoice;
  today: string;
  onChange: (choice: RangeChoice) => void;
}) {
  const id = useId();
  const current = rangeOf(choice, today);
  const [first, setFirst] = useState(current.from);
  const [last, setLast] = useState(lastDayOf(current));
  const [error, setError] = useState<string | null>(null);

  return (
    <div className="flex flex-wrap items-end gap-3">
      <fieldset className="grid gap-1.5">
        <legend className="mb-1.5 text-sm font-medium">Range</legend>
        <div className="flex rounded-md border bg-background p-0.5" data-testid="range-presets">
          {PRESET_DAYS.map((days) => {
            const selected = "preset" in choice && choice.preset === days;
            return (
              <button
                key={days}
                type="button"
                aria-pressed={selected}
                data-testid={`range-${days}`}
                onClick={() => {
                  const range = lastDays(days, today);
                  setFirst(range.from);
                  setLast(lastDayOf(range));
                  setError(null);
                  onChange({ preset: days });
                }}
                className={cn(
                  "rounded px-2.5 py-1 text-sm text-muted-foreground outline-none transition-colors hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring",
                  selected && "bg-accent font-medium text-foreground",
                )}
              >
                {days} days
              </button>
            );
          })}
        </div>
      </fieldset>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          const range = customRange(first, last);
          if ("error" in range) {
            setError(range.error);
            return;
          }
          setError(null);
          onChange({ custom: range });
        }}
      >
        <div className="grid gap-1.5">
          <Label htmlFor={`${id}-from`}>From</Label>
          <Input
            id={`${id}-from`}
            type="date"
            value={first}
            max={today}
            onChange={(e) => setFirst(e.target.value)}
            data-testid="range-from"
            className="w-40"
          />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor={`${id}-to`}>To</Label>
          <Input
            id={`${id}-to`}
            type="date"
            value={last}
            onChange={(e) => setLast(e.target.value)}
            data-testid="range-to"
            className="w-40"
          />
        </div>
        <Button
          type="submit"
          variant={"custom" in choice ? "default" : "outline"}
          data-testid="range-apply"
        >
          Apply
        </Button>
      </form>
      {error ? (
        <p role="alert" className="w-full text-sm text-destructive" data-testid="range-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
