"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { notFound, useSearchParams } from "next/navigation";
import { useMe } from "@/components/auth/auth-gate";
import { ErrorMessage } from "@/components/error-message";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { Section } from "../fields";
import { SettingsPage } from "../settings-page";
import { formatAllowed, formatDay, formatMoney } from "./format";

type Status = RouterOutputs["billing"]["status"];

const STATE_LABELS: Record<
  Status["state"],
  { text: string; variant: "success" | "warning" | "destructive" | "secondary" }
> = {
  trial: { text: "Trial", variant: "secondary" },
  active: { text: "Active", variant: "success" },
  grace: { text: "Payment overdue", variant: "warning" },
  downgraded: { text: "Payment overdue: limited", variant: "destructive" },
  free: { text: "Free plan", variant: "secondary" },
  exempt: { text: "Exempt from billing", variant: "secondary" },
};

/**
 * Settings → Billing (admins, and only on a server that bills accounts): the
 * plan, the trial's days left, usage against each limit, the next invoice;
 * Upgrade goes to Stripe Checkout, Manage billing to Stripe's customer portal.
 */
export function BillingSettingsPage() {
  const me = useMe();
  if (!me.billing) notFound();
  const trpc = useTRPC();
  const status = useQuery(trpc.billing.status.queryOptions());
  const params = useSearchParams();
  const returned = params.get("checkout");
  return (
    <SettingsPage
      title="Billing"
      description="Your plan, what your team uses of it, and your invoices."
    >
      {returned === "done" ? (
        <p className="text-sm" role="status" data-testid="checkout-done">
          Thank you! Your subscription starts as soon as Stripe confirms the payment.
        </p>
      ) : null}
      {status.isPending ? (
        <p className="text-sm text-muted-foreground" aria-live="polite">
          Loading…
        </p>
      ) : status.isError ? (
        <ErrorMessage error={status.error} />
      ) : (
        <>
          <CurrentPlan status={status.data} />
          <Usage status={status.data} />
          {status.data.state !== "exempt" ? <Plans status={status.data} /> : null}
        </>
      )}
    </SettingsPage>
  );
}

const planName = (status: Status, id: Status["plan"]) =>
  status.plans.find((p) => p.id === id)?.name ?? id;

function CurrentPlan({ status }: { status: Status }) {
  const trpc = useTRPC();
  const portal = useMutation(
    trpc.billing.portal.mutationOptions({ onSuccess: ({ url }) => window.location.assign(url) }),
  );
  const label = STATE_LABELS[status.state];
  return (
    <Section
      title="Plan"
      actions={
        status.hasCustomer && status.state !== "exempt" ? (
          <Button
            variant="outline"
            size="sm"
            disabled={portal.isPending}
            onClick={() => portal.mutate()}
            data-testid="manage-billing"
          >
            Manage billing
          </Button>
        ) : null
      }
    >
      <div className="grid gap-3 text-sm">
        <p className="flex flex-wrap items-center gap-2">
          <span className="text-lg font-semibold" data-testid="billing-plan">
            {planName(status, status.state === "trial" ? status.plan : status.subscribedPlan)}
          </span>
          <Badge variant={label.variant} data-testid="billing-state">
            {label.text}
          </Badge>
        </p>
        {status.state === "trial" ? (
          <p data-testid="trial-days-left">
            {status.trialDaysLeft} {status.trialDaysLeft === 1 ? "day" : "days"} left in your trial
            (until {formatDay(status.trialEndsAt)}). Then the free Starter plan applies unless you
            upgrade.
          </p>
        ) : null}
        {status.state === "grace" && status.graceEndsAt ? (
          <p className="text-warning-foreground">
            Your last payment failed. Update your card with Manage billing before{" "}
            {formatDay(status.graceEndsAt)}, or the Starter plan's limits apply from then. Nothing
            is deleted.
          </p>
        ) : null}
        {status.state === "downgraded" ? (
          <p className="text-destructive">
            Your payment is overdue, so the Starter plan's limits apply. Pay with Manage billing and
            your plan's limits are back at once. Nothing was deleted.
          </p>
        ) : null}
        {status.state === "active" && status.currentPeriodEnd ? (
          <p className="text-muted-foreground">
            {status.cancelAtPeriodEnd ? "Ends" : "Renews"} on {formatDay(status.currentPeriodEnd)}.
          </p>
        ) : null}
        {status.nextInvoice ? (
          <p data-testid="next-invoice">
            Next invoice: {formatMoney(status.nextInvoice.amountDue, status.nextInvoice.currency)}
            {status.nextInvoice.date ? ` on ${formatDay(status.nextInvoice.date)}` : ""}
          </p>
        ) : null}
        {portal.isError ? <ErrorMessage error={portal.error} /> : null}
      </div>
    </Section>
  );
}

function Usage({ status }: { status: Status }) {
  return (
    <Section title="Usage" description="What your team uses now of what the plan allows.">
      <ul className="grid gap-4" data-testid="billing-usage">
        {status.usage.map((u) => {
          const share = u.allowed ? Math.min(1, u.used / u.allowed) : 0;
          const full = u.allowed !== null && u.used >= u.allowed;
          return (
            <li key={u.limit} className="grid gap-1.5 text-sm" data-testid={`usage-${u.limit}`}>
              <div className="flex justify-between gap-4">
                <span>{u.label}</span>
                <span className={full ? "font-medium text-destructive" : "tabular-nums"}>
                  {u.used.toLocaleString()} of {formatAllowed(u.allowed)}
                </span>
              </div>
              {u.allowed !== null ? (
                <div
                  className="h-1.5 overflow-hidden rounded-full bg-muted"
                  role="meter"
                  aria-label={u.label}
                  aria-valuemin={0}
                  aria-valuemax={u.allowed}
                  aria-valuenow={u.used}
                >
                  <div
                    className={full ? "h-full bg-destructive" : "h-full bg-primary"}
                    style={{ width: `${share * 100}%` }}
                  />
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

function Plans({ status }: { status: Status }) {
  const trpc = useTRPC();
  const checkout = useMutation(
    trpc.billing.checkout.mutationOptions({ onSuccess: ({ url }) => window.location.assign(url) }),
  );
  const subscribed =
    status.state === "active" || status.state === "grace" || status.state === "downgraded";
  return (
    <Section
      title="Plans"
      description={
        subscribed
          ? "Change or cancel your plan with Manage billing."
          : "Upgrade through Stripe Checkout; change or cancel any time."
      }
    >
      <ul className="grid gap-3 sm:grid-cols-3">
        {status.plans.map((plan) => (
          <li
            key={plan.id}
            className="grid gap-2 rounded-lg border p-4 text-sm"
            data-testid={`plan-${plan.id}`}
          >
            <h3 className="font-semibold">{plan.name}</h3>
            <ul className="grid gap-0.5 text-muted-foreground">
              <li>{formatAllowed(plan.limits.seats)} seats</li>
              <li>{formatAllowed(plan.limits.inboxes)} inboxes</li>
              <li>{formatAllowed(plan.limits.aiReplies)} AI replies a month</li>
            </ul>
            {plan.paid && !subscribed ? (
              <Button
                size="sm"
                disabled={checkout.isPending}
                onClick={() => checkout.mutate({ plan: plan.id as "team" | "business" })}
                data-testid={`upgrade-${plan.id}`}
              >
                Upgrade to {plan.name}
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
      {checkout.isError ? <ErrorMessage error={checkout.error} /> : null}
    </Section>
  );
}
