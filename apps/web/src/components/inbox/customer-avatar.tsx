import { initials } from "@/lib/format";
import { cn } from "@/lib/utils";

/** The customer's initials; a green dot while they have the widget open. */
export function CustomerAvatar({
  label,
  online = false,
  className,
}: {
  label: string;
  online?: boolean;
  className?: string;
}) {
  return (
    <span className={cn("relative flex size-9 shrink-0", className)}>
      <span
        aria-hidden
        className="flex size-full items-center justify-center rounded-full bg-secondary text-xs font-semibold text-secondary-foreground"
      >
        {initials(label)}
      </span>
      {online ? (
        <span
          role="img"
          aria-label="Online"
          title="Online"
          data-testid="customer-online"
          className="absolute -right-0.5 -bottom-0.5 size-3 rounded-full border-2 border-background bg-success"
        />
      ) : null}
    </span>
  );
}
