"use client";

import { Check, Copy } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";

/**
 * Puts `text` on the clipboard. `navigator.clipboard` exists only in secure
 * contexts (https or localhost); a dashboard on plain http copies the old way.
 */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  const focused = document.activeElement as HTMLElement | null;
  area.select();
  try {
    if (!document.execCommand("copy")) throw new Error("The browser refused to copy");
  } finally {
    area.remove();
    focused?.focus();
  }
}

/** A "Copy" button; `label` names what it copies for screen readers ("Copy script tag"). */
export function CopyButton({
  text,
  label,
  className,
  variant = "outline",
  testId,
}: {
  text: string;
  label: string;
  className?: string;
  variant?: "outline" | "ghost" | "secondary";
  testId?: string;
}) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const copy = async () => {
    try {
      await copyText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setState("idle"), 2_000);
  };
  return (
    <Button
      type="button"
      variant={variant}
      size="sm"
      className={className}
      onClick={() => void copy()}
      data-testid={testId}
      data-state={state}
    >
      {state === "copied" ? <Check aria-hidden /> : <Copy aria-hidden />}
      <span aria-live="polite">
        {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "Copy"}
      </span>
      <span className="sr-only"> {label}</span>
    </Button>
  );
}

/** A code sample with a title bar and a Copy button. */
export function CodeBlock({
  code,
  title,
  copyLabel,
  className,
  testId,
}: {
  code: string;
  title: string;
  /** What the Copy button copies, for screen readers. */
  copyLabel: string;
  className?: string;
  testId?: string;
}) {
  return (
    <figure
      className={cn("overflow-hidden rounded-lg border bg-zinc-950 text-zinc-50", className)}
      data-testid={testId}
    >
      <figcaption className="flex items-center justify-between gap-2 border-b border-white/10 py-1.5 pr-1.5 pl-3 text-xs text-zinc-400">
        <span>{title}</span>
        <CopyButton
          text={code}
          label={copyLabel}
          variant="ghost"
          className="h-7 text-zinc-300 hover:bg-white/10 hover:text-white"
          testId={testId ? `${testId}-copy` : undefined}
        />
      </figcaption>
      {/* Focusable so keyboard users can scroll a long line sideways. The block is
          dark in both themes on purpose, as code in a terminal. */}
      <pre
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to scroll by keyboard
        tabIndex={0}
        className="overflow-x-auto p-3 text-xs leading-relaxed outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-inset"
      >
        <code data-testid={testId ? `${testId}-code` : undefined}>{code}</code>
      </pre>
    </figure>
  );
}
