"use client";

import { CircleAlert, RotateCw } from "lucide-react";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";

/** What a dashboard page shows when it throws while rendering: the error, and a retry. */
export default function DashboardError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  useEffect(() => {
    // The browser console is where a developer looks first.
    console.error(error);
  }, [error]);
  return (
    <main
      className="flex flex-1 flex-col items-center justify-center gap-3 p-6 text-center"
      data-testid="page-error"
    >
      <CircleAlert className="size-8 text-destructive" aria-hidden />
      <h1 className="text-lg font-semibold">This page could not be shown</h1>
      <p className="max-w-md text-sm text-muted-foreground" role="alert">
        {error.message || "Something went wrong."}
        {error.digest ? ` (reference ${error.digest})` : null}
      </p>
      <Button onClick={reset} data-testid="page-error-retry">
        <RotateCw aria-hidden />
        Try again
      </Button>
    </main>
  );
}
