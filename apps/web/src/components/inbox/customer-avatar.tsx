import { initials } from "@/lib/format";
import { cn } from "@/lib/utils";

export function CustomerAvatar({ label, className }: { label: string; className?: string }) {
  return (
    <span
      aria-hidden
      className={cn(
        "flex size-9 shrink-0 items-center justify-center rounded-full bg-secondary text-xs font-semibold text-secondary-foreground",
        className,
      )}
    >
      {initials(label)}
    </span>
  );
}
