"use client";

import { useEffect, useRef } from "react";

/**
 * A colour picker that reports the colour once it is chosen. React's onChange
 * fires on every step of a drag in the picker; the DOM's own "change" event
 * fires when the picker closes, so a tag is saved once, not fifty times.
 * Give it `key={value}` so a newly stored colour resets it.
 */
export function TagColorInput({
  value,
  label,
  onCommit,
}: {
  value: string;
  label: string;
  onCommit: (color: string) => void;
}) {
  const ref = useRef<HTMLInputElement>(null);
  const commit = useRef(onCommit);
  commit.current = onCommit;

  useEffect(() => {
    const input = ref.current;
    if (!input) return;
    const onChange = () => commit.current(input.value);
    input.addEventListener("change", onChange);
    return () => input.removeEventListener("change", onChange);
  }, []);

  return (
    <input
      ref={ref}
      type="color"
      aria-label={label}
      defaultValue={value}
      className="h-8 w-10 shrink-0 cursor-pointer rounded-md border border-input bg-background p-1 outline-none focus-visible:ring-2 focus-visible:ring-ring"
      data-testid="tag-color"
    />
  );
}
