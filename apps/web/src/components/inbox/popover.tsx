"use client";

// A small disclosure panel under a button, for the thread header's pickers:
// Escape or a click outside closes it and gives focus back to the button.
import { useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";

export function Popover({
  open,
  onOpenChange,
  trigger,
  label,
  testId,
  className,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The button's content. */
  trigger: React.ReactNode;
  /** The panel's accessible name. */
  label: string;
  testId: string;
  className?: string;
  children: React.ReactNode;
}) {
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) onOpenChange(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      onOpenChange(false);
      button.current?.focus();
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open, onOpenChange]);

  return (
    <div ref={root} className="relative">
      <Button
        ref={button}
        variant="outline"
        size="sm"
        aria-expanded={open}
        onClick={() => onOpenChange(!open)}
        data-testid={testId}
      >
        {trigger}
      </Button>
      {open ? (
        <div
          role="dialog"
          aria-label={label}
          className={cn(
            "absolute right-0 z-20 mt-1 w-64 rounded-md border bg-background p-2 shadow-lg",
            className,
          )}
        >
          {children}
        </div>
      ) : null}
    </div>
  );
}
