"use client";

// An autocomplete that opens while the caret ends a trigger token ("@bea",
// "/thanks") in the composer's textarea. Focus stays in the textarea; the
// listbox's current option is announced through aria-activedescendant.
import { useEffect, useId, useState } from "react";
import { type ActiveToken, activeToken, matching, type Trigger } from "./token-text";

/** Options shown at once; typing narrows the rest. */
const MAX_OPTIONS = 8;

export type TokenPicker<T> = {
  open: boolean;
  items: T[];
  activeIndex: number;
  listboxId: string;
  optionId: (index: number) => string;
  keyOf: (item: T) => string;
  pick: (item: T) => void;
  setActiveIndex: (index: number) => void;
  /** Handles the picker's keys; true when the key was the picker's (the caller does nothing else). */
  onKeyDown: (event: React.KeyboardEvent) => boolean;
  /** Props for the textarea, tying it to the listbox for assistive technology. */
  inputProps: {
    "aria-autocomplete": "list";
    "aria-controls": string | undefined;
    "aria-activedescendant": string | undefined;
  };
};

export function useTokenPicker<T>({
  text,
  caret,
  trigger,
  options,
  labelOf,
  keyOf,
  onPick,
}: {
  text: string;
  /** null while the text box is not focused: the picker is closed then. */
  caret: number | null;
  trigger: Trigger;
  options: readonly T[];
  labelOf: (item: T) => string;
  keyOf: (item: T) => string;
  onPick: (item: T, token: ActiveToken) => void;
}): TokenPicker<T> {
  const listboxId = useId();
  const [activeIndex, setActiveIndex] = useState(0);
  // Escape closes the picker for this token only; a new trigger opens it again.
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const token = caret === null ? null : activeToken(text, caret, trigger);
  const live = token && token.start !== dismissedAt ? token : null;
  const items = live ? matching(options, live.query, labelOf).slice(0, MAX_OPTIONS) : [];
  const open = items.length > 0;

  const tokenStart = token?.start ?? null;
  const query = live?.query ?? null;
  useEffect(() => {
    if (tokenStart === null) setDismissedAt(null);
  }, [tokenStart]);
  // A narrower list starts again at its first option.
  useEffect(() => {
    if (query !== null) setActiveIndex(0);
  }, [query]);

  const optionId = (index: number) => `${listboxId}-option-${index}`;
  const current = Math.min(activeIndex, Math.max(items.length - 1, 0));
  const pick = (item: T) => {
    if (live) onPick(item, live);
  };

  return {
    open,
    items,
    activeIndex: current,
    listboxId,
    optionId,
    keyOf,
    pick,
    setActiveIndex,
    onKeyDown(event) {
      if (!open || !live) return false;
      // Ctrl/Cmd+Enter still sends, picker or not.
      if (event.ctrlKey || event.metaKey || event.altKey) return false;
      switch (event.key) {
        case "ArrowDown":
          setActiveIndex((current + 1) % items.length);
          break;
        case "ArrowUp":
          setActiveIndex((current - 1 + items.length) % items.length);
          break;
        case "Enter":
        case "Tab": {
          const item = items[current];
          if (item) onPick(item, live);
          break;
        }
        case "Escape":
          setDismissedAt(live.start);
          break;
        default:
          return false;
      }
      event.preventDefault();
      // Escape must not also reach the conversation's shortcuts.
      event.stopPropagation();
      return true;
    },
    inputProps: {
      "aria-autocomplete": "list",
      "aria-controls": open ? listboxId : undefined,
      "aria-activedescendant": open ? optionId(current) : undefined,
    },
  };
}
