"use client";

import { cn } from "@/lib/utils";
import type { TokenPicker } from "./use-token-picker";

/**
 * The picker's options above the textarea. Options take no focus: a press
 * picks without moving focus away from the text.
 */
export function TokenListbox<T>({
  picker,
  label,
  testId,
  renderItem,
}: {
  picker: TokenPicker<T>;
  label: string;
  testId: string;
  renderItem: (item: T) => React.ReactNode;
}) {
  if (!picker.open) return null;
  return (
    <div
      id={picker.listboxId}
      role="listbox"
      aria-label={label}
      data-testid={testId}
      className="absolute bottom-full left-0 z-20 mb-1 max-h-64 w-full max-w-sm overflow-y-auto rounded-md border bg-card p-1 text-card-foreground shadow-md"
    >
      {picker.items.map((item, index) => {
        const active = index === picker.activeIndex;
        return (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the textarea handles the keys (aria-activedescendant)
          <div
            key={picker.keyOf(item)}
            id={picker.optionId(index)}
            role="option"
            tabIndex={-1}
            aria-selected={active}
            data-testid={`${testId}-option`}
            onMouseDown={(event) => event.preventDefault()}
            onMouseEnter={() => picker.setActiveIndex(index)}
            onClick={() => picker.pick(item)}
            className={cn(
              "cursor-pointer rounded-sm px-2 py-1.5 text-sm",
              active ? "bg-accent text-accent-foreground" : "text-foreground",
            )}
          >
            {renderItem(item)}
          </div>
        );
      })}
    </div>
  );
}
