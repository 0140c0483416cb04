"use client";

import { useQuery } from "@tanstack/react-query";
import { TriangleAlert } from "lucide-react";
import Link from "next/link";
import { useMe } from "@/components/auth/auth-gate";
import { useTRPC } from "@/lib/trpc";

/**
 * The dashboard's notice that the account's payment is overdue: during the
 * grace period (the paid limits still hold) and after it (the free plan's
 * limits apply). Only on a server that bills accounts.
 */
export function BillingBanner() {
  const me = useMe();
  const trpc = useTRPC();
  const status = useQuery(
    trpc.billing.status.queryOptions(undefined, {
      enabled: me.billing,
      staleTime: 5 * 60_000,
      refetchInterval: 15 * 60_000,
    }),
  );
  const state = status.data?.state;
  if (state !== "grace" && state !== "downgraded") return null;
  const until = status.data?.graceEndsAt
    ? new Date(status.data.graceEndsAt).toLocaleDateString()
    : null;
  return (
    <div
      role="alert"
      className="flex flex-wrap items-center gap-2 border-b bg-warning-soft px-4 py-2 text-sm text-warning-foreground"
      data-testid="billing-banner"
    >
      <TriangleAlert className="size-4 shrink-0" aria-hidden />
      <span>
        {state === "grace"
          ? `Your last payment failed. Update your payment method${until ? ` before ${until}` : ""} to keep your plan.`
          : "Your payment is overdue: the free plan's limits apply until it is paid. Nothing was deleted."}
      </span>
      {me.role === "admin" ? (
        <Link href="/settings/billing" className="font-medium underline underline-offset-2">
          Go to billing
        </Link>
      ) : (
        <span>Ask an admin to update it.</span>
      )}
    </div>
  );
}
