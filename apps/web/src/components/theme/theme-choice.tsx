"use client";

import { Monitor, Moon, Sun } from "lucide-react";
import { cn } from "@/lib/utils";
import type { Theme } from "./theme-script";
import { useTheme } from "./use-theme";

const OPTIONS = [
  { value: "system", label: "System", icon: Monitor },
  { value: "light", label: "Light", icon: Sun },
  { value: "dark", label: "Dark", icon: Moon },
] as const satisfies readonly { value: Theme; label: string; icon: unknown }[];

/** System / Light / Dark as a radio group: arrow keys move between them, as for any radios. */
export function ThemeChoice({ testId = "theme-choice" }: { testId?: string }) {
  const { theme, setTheme } = useTheme();
  return (
    <fieldset className="grid gap-1.5" data-testid={testId}>
      <legend className="mb-1.5 text-xs font-medium text-muted-foreground">Theme</legend>
      <div className="grid grid-cols-3 gap-1 rounded-md bg-muted p-1">
        {OPTIONS.map(({ value, label, icon: Icon }) => (
          <label
            key={value}
            className={cn(
              "flex cursor-pointer items-center justify-center gap-1 rounded px-2 py-1 text-xs font-medium text-muted-foreground has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring",
              theme === value && "bg-background text-foreground shadow-sm",
            )}
          >
            <input
              type="radio"
              name={`${testId}-theme`}
              value={value}
              checked={theme === value}
              onChange={() => setTheme(value)}
              className="sr-only"
              data-testid={`${testId}-${value}`}
            />
            <Icon className="size-3.5" aria-hidden />
            {label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
