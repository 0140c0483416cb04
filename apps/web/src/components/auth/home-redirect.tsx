"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { ErrorMessage } from "@/components/error-message";
import { useTRPC } from "@/lib/trpc";

/** Sends a signed-in agent to the inbox and everyone else to the login page. */
export function HomeRedirect() {
  const trpc = useTRPC();
  const router = useRouter();
  const me = useQuery(trpc.auth.me.queryOptions());

  useEffect(() => {
    if (me.isSuccess) router.replace(me.data ? "/inbox" : "/login");
  }, [me.isSuccess, me.data, router]);

  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      {me.isError ? (
        <ErrorMessage error={me.error} />
      ) : (
        <p className="text-sm text-muted-foreground" aria-live="polite">
          Loading…
        </p>
      )}
    </main>
  );
}
