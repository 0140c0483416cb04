import { CircleAlert } from "lucide-react";
import { cn } from "@/lib/utils";

/** The message of a failed query or mutation, shown where the user is looking. */
export function ErrorMessage({
  error,
  className,
  testId = "error-message",
}: {
  error: { message: string } | null | undefined;
  className?: string;
  testId?: string;
}) {
  if (!error) return null;
  return (
    <div
      role="alert"
      data-testid={testId}
      className={cn(
        "flex items-start gap-2 rounded-md border border-destructive/30 bg-destructive/5 px-3 py-2 text-sm text-destructive",
        className,
      )}
    >
      <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
      <span>{error.message}</span>
    </div>
  );
}
