import type * as React from "react";
import { ErrorMessage } from "@/components/error-message";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

/** What every report query looks like to the card that shows it. */
export type Loadable<T> = { data: T | undefined; error: { message: string } | null };

/**
 * A report's card: its title, then the error, a loading placeholder, the empty
 * text, or the content, so every chart and table handles the four the same way.
 */
export function ReportCard<T>({
  title,
  description,
  query,
  isEmpty,
  empty = "Nothing in this range.",
  testId,
  className,
  children,
}: {
  title: string;
  description?: string;
  query: Loadable<T>;
  isEmpty: (data: T) => boolean;
  empty?: string;
  testId: string;
  className?: string;
  children: (data: T) => React.ReactNode;
}) {
  const { data, error } = query;
  const state = error
    ? "error"
    : data === undefined
      ? "loading"
      : isEmpty(data)
        ? "empty"
        : "ready";
  return (
    <Card className={className ?? "min-w-0 gap-4 py-4"} data-testid={testId} data-state={state}>
      <CardHeader className="px-4">
        <CardTitle className="text-base">{title}</CardTitle>
        {description ? <CardDescription>{description}</CardDescription> : null}
      </CardHeader>
      <CardContent className="min-w-0 px-4" aria-busy={state === "loading"}>
        {error ? (
          <ErrorMessage error={error} />
        ) : data === undefined ? (
          <div
            className="h-48 animate-pulse rounded-md bg-muted"
            role="status"
            aria-label="Loading"
          />
        ) : isEmpty(data) ? (
          <p className="py-10 text-center text-sm text-muted-foreground">{empty}</p>
        ) : (
          children(data)
        )}
      </CardContent>
    </Card>
  );
}
