"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Check, ChevronRight, X } from "lucide-react";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { useMe } from "@/components/auth/auth-gate";
import { Button } from "@/components/ui/button";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { cn } from "@/lib/utils";
import { useChecklistDismissed } from "./dismissal";

type Status = RouterOutputs["onboarding"]["status"];

const STEPS = [
  {
    id: "widget",
    done: (s: Status) => s.widgetInstalled,
    title: "Install the chat widget",
    text: "Paste the snippet into your website.",
    href: () => "/settings/widget",
    action: "Get the snippet",
  },
  {
    id: "message",
    done: (s: Status) => s.customerMessage,
    title: "Send a test message",
    text: "Write to yourself from the widget, as a customer would.",
    // A page of ours with the real widget (app/try-widget/route.ts).
    href: (accountId: string) => `/try-widget?token=${accountId}`,
    action: "Try the widget",
    newTab: true,
  },
  {
    id: "teammate",
    done: (s: Status) => s.teammateInvited,
    title: "Invite a teammate",
    text: "Answer together from one shared inbox.",
    href: () => "/settings/team",
    action: "Invite",
  },
] as const;

/**
 * Getting started, for a new account: three steps, each ticked from what the
 * server saw happen (onboarding.status). Refreshed when the agent comes back
 * to the tab and whenever the inbox's live counts change (a first
 * conversation); gone once all are done, or when the agent hides it.
 */
export function OnboardingChecklist({ className }: { className?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useMe();
  const [dismissed, dismiss] = useChecklistDismissed(me.account.id);
  const status = useQuery(
    trpc.onboarding.status.queryOptions(undefined, {
      enabled: !dismissed,
      staleTime: 0,
      refetchOnWindowFocus: "always",
    }),
  );
  const done = status.data ? STEPS.filter((step) => step.done(status.data)).length : 0;
  const complete = done === STEPS.length;

  // A new conversation (the test message) moves the live counts.
  const counts = useQuery({ ...trpc.conversations.counts.queryOptions(), enabled: !complete });
  const seenCounts = useRef(counts.dataUpdatedAt);
  useEffect(() => {
    if (counts.dataUpdatedAt === seenCounts.current) return;
    seenCounts.current = counts.dataUpdatedAt;
    void queryClient.invalidateQueries({ queryKey: trpc.onboarding.status.queryKey() });
  }, [counts.dataUpdatedAt, queryClient, trpc]);

  if (dismissed || !status.data || complete) return null;
  const headingId = "onboarding-heading";
  return (
    <section
      aria-labelledby={headingId}
      data-testid="onboarding-checklist"
      className={cn(
        "relative w-full max-w-md rounded-xl border bg-card p-4 text-card-foreground shadow-sm",
        className,
      )}
    >
      <div className="flex items-start gap-3 pr-8">
        <div className="grid gap-1">
          <h2 id={headingId} className="font-semibold">
            Get started with Netia
          </h2>
          <p className="text-sm text-muted-foreground">
            <span data-testid="onboarding-progress">
              {done}/{STEPS.length}
            </span>{" "}
            done
          </p>
        </div>
      </div>
      <Button
        variant="ghost"
        size="icon"
        className="absolute top-2 right-2 size-8"
        onClick={dismiss}
        data-testid="onboarding-dismiss"
      >
        <X aria-hidden />
        <span className="sr-only">Hide the getting-started checklist</span>
      </Button>
      <div
        className="mt-3 h-1.5 overflow-hidden rounded-full bg-muted"
        role="progressbar"
        aria-label="Getting started"
        aria-valuemin={0}
        aria-valuemax={STEPS.length}
        aria-valuenow={done}
      >
        <div
          className="h-full rounded-full bg-primary transition-[width]"
          style={{ width: `${(done / STEPS.length) * 100}%` }}
        />
      </div>
      <ol className="mt-3 grid gap-1">
        {STEPS.map((step) => {
          const stepDone = step.done(status.data);
          return (
            <li
              key={step.id}
              data-testid="onboarding-step"
              data-step={step.id}
              data-done={stepDone}
              className="flex items-start gap-3 rounded-md p-2"
            >
              <span
                className={cn(
                  "mt-0.5 flex size-5 shrink-0 items-center justify-center rounded-full border",
                  stepDone && "border-primary bg-primary text-primary-foreground",
                )}
              >
                {stepDone ? <Check className="size-3.5" aria-hidden /> : null}
              </span>
              <div className="grid min-w-0 flex-1 gap-0.5">
                <p
                  className={cn(
                    "text-sm font-medium",
                    stepDone && "text-muted-foreground line-through",
                  )}
                >
                  {step.title}
                  <span className="sr-only">{stepDone ? " (done)" : " (to do)"}</span>
                </p>
                {stepDone ? null : (
                  <>
                    <p className="text-xs text-muted-foreground">{step.text}</p>
                    <StepLink
                      href={step.href(me.account.id)}
                      newTab={"newTab" in step && step.newTab}
                      testId={`onboarding-link-${step.id}`}
                    >
                      {step.action}
                      <ChevronRight className="size-3.5" aria-hidden />
                    </StepLink>
                  </>
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

const STEP_LINK =
  "mt-1 flex w-fit items-center gap-0.5 rounded text-xs font-medium text-primary underline-offset-4 outline-none hover:underline focus-visible:ring-2 focus-visible:ring-ring";

/** A page of the dashboard through the router; one outside it (the try-it page) as a plain link in a new tab. */
function StepLink({
  href,
  newTab,
  testId,
  children,
}: {
  href: string;
  newTab: boolean;
  testId: string;
  children: React.ReactNode;
}) {
  if (newTab) {
    return (
      <a href={href} target="_blank" rel="noopener" data-testid={testId} className={STEP_LINK}>
        {children}
        <span className="sr-only"> (opens in a new tab)</span>
      </a>
    );
  }
  return (
    <Link href={href} data-testid={testId} className={STEP_LINK}>
      {children}
    </Link>
  );
}
