"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { createContext, useContext, useEffect } from "react";
import { AppHeader, type Me } from "@/components/app-header";
import { BillingBanner } from "@/components/billing-banner";
import { ErrorMessage } from "@/components/error-message";
import { LiveDashboard } from "@/components/inbox/live";
import { useTRPC } from "@/lib/trpc";

const MeContext = createContext<Me | null>(null);

/** The signed-in agent, their account and role. Only usable inside the dashboard. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error("useMe() is only available inside the dashboard");
  return me;
}

/** Renders the dashboard for a signed-in agent; sends anyone else to the login page. */
export function AuthGate({ children }: { children: React.ReactNode }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 }));
  const queryClient = useQueryClient();
  useEffect(() => {
    // What every dashboard page reads (the live counts, inboxes, team, tags) is
    // asked for beside the session instead of one round trip after it.
    void queryClient.prefetchQuery(trpc.conversations.counts.queryOptions());
    void queryClient.prefetchQuery(trpc.inboxes.list.queryOptions());
    void queryClient.prefetchQuery(trpc.team.list.queryOptions());
    void queryClient.prefetchQuery(trpc.tags.list.queryOptions());
  }, [trpc, queryClient]);

  const signedOut = me.isSuccess && !me.data;
  useEffect(() => {
    if (signedOut) router.replace(`/login?next=${encodeURIComponent(pathname)}`);
  }, [signedOut, router, pathname]);

  if (me.isError) {
    return (
      <main className="flex min-h-screen items-center justify-center p-6">
        <ErrorMessage error={me.error} />
      </main>
    );
  }
  if (!me.data) {
    return (
      <main className="flex min-h-screen items-center justify-center p-6">
        <p className="text-sm text-muted-foreground" aria-live="polite">
          Loading…
        </p>
      </main>
    );
  }
  return (
    <MeContext.Provider value={me.data}>
      <LiveDashboard>
        <div className="flex h-screen flex-col">
          <AppHeader me={me.data} />
          <BillingBanner />
          <div className="flex min-h-0 flex-1">{children}</div>
        </div>
      </LiveDashboard>
    </MeContext.Provider>
  );
}
