"use client";

import { AlarmClock } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Popover } from "./popover";
import { fromLocalInput, SNOOZE_PRESETS, toLocalInput } from "./snooze-times";

/** Snooze until a preset or a chosen time; the server wakes the conversation then. */
export function SnoozePicker({
  open,
  onOpenChange,
  onSnooze,
  disabled,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onSnooze: (until: Date) => void;
  disabled: boolean;
}) {
  const [custom, setCustom] = useState("");
  const customDate = fromLocalInput(custom);
  const choose = (until: Date) => {
    onSnooze(until);
    onOpenChange(false);
  };
  return (
    <Popover
      open={open}
      onOpenChange={onOpenChange}
      label="Snooze until"
      testId="snooze-conversation"
      trigger={
        <>
          <AlarmClock aria-hidden />
          Snooze
        </>
      }
    >
      <ul className="flex flex-col">
        {SNOOZE_PRESETS.map((preset) => (
          <li key={preset.id}>
            <Button
              variant="ghost"
              size="sm"
              className="w-full justify-start"
              disabled={disabled}
              onClick={() => choose(preset.until(new Date()))}
              data-testid={`snooze-${preset.id}`}
            >
              {preset.label}
            </Button>
          </li>
        ))}
      </ul>
      <form
        className="mt-2 flex flex-col gap-2 border-t pt-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (customDate) choose(customDate);
        }}
      >
        <label className="text-xs font-medium" htmlFor="snooze-custom">
          Until a date and time
        </label>
        <Input
          id="snooze-custom"
          type="datetime-local"
          step={1}
          min={toLocalInput(new Date())}
          value={custom}
          onChange={(e) => setCustom(e.target.value)}
          data-testid="snooze-custom-input"
        />
        <Button
          type="submit"
          size="sm"
          disabled={disabled || !customDate}
          data-testid="snooze-custom-submit"
        >
          Snooze
        </Button>
      </form>
    </Popover>
  );
}
