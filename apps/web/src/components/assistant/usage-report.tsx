"use client";

import { useQuery } from "@tanstack/react-query";
import { ErrorMessage } from "@/components/error-message";
import { Section } from "@/components/settings/fields";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";

type Usage = RouterOutputs["assistant"]["usage"];
type Day = Usage["days"][number];

const number = new Intl.NumberFormat();

function Stat({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div className="grid gap-0.5 rounded-lg border bg-background px-3 py-2">
      <span className="text-xs text-muted-foreground">{label}</span>
      <span className="text-lg font-semibold tabular-nums" data-testid={testId}>
        {number.format(value)}
      </span>
    </div>
  );
}

/** A bar per day of the replies' outcomes, scaled to the busiest day. */
function OutcomeBars({ days }: { days: Day[] }) {
  const max = Math.max(1, ...days.map((d) => d.answered + d.handedOff + d.fallback + d.skipped));
  const parts = [
    ["answered", "bg-success"],
    ["handedOff", "bg-warning"],
    ["fallback", "bg-destructive"],
    ["skipped", "bg-muted-foreground/40"],
  ] as const;
  return (
    <div className="flex h-28 items-end gap-0.5" aria-hidden>
      {days.map((d) => (
        <div
          key={d.day}
          className="flex h-full min-w-1 flex-1 flex-col-reverse"
          title={`${d.day}: ${d.answered} answered, ${d.handedOff} handed off, ${d.fallback} fallback, ${d.skipped} skipped`}
        >
          {parts.map(([key, color]) =>
            d[key] > 0 ? (
              <div key={key} className={color} style={{ height: `${(d[key] / max) * 100}%` }} />
            ) : null,
          )}
        </div>
      ))}
    </div>
  );
}

/** Replies, tokens and outcomes of the last 30 days, day by day, and this month's totals. */
export function UsageReport() {
  const trpc = useTRPC();
  const usage = useQuery(trpc.assistant.usage.queryOptions({}));
  if (usage.isError) return <ErrorMessage error={usage.error} />;
  if (!usage.data) return <p className="text-sm text-muted-foreground">Loading usage…</p>;
  const { days, thisMonth, timeZone } = usage.data;
  return (
    <Section
      title="Usage and outcomes"
      description={`The last 30 days, by day in ${timeZone}.`}
      className="min-w-0"
    >
      <div className="grid gap-2 sm:grid-cols-4" data-testid="usage-month">
        <Stat label="Replies this month" value={thisMonth.replies} testId="month-replies" />
        <Stat label="Handed off this month" value={thisMonth.handedOff} testId="month-handed-off" />
        <Stat
          label="Tokens this month"
          value={thisMonth.promptTokens + thisMonth.completionTokens}
          testId="month-tokens"
        />
        <Stat label="Drafts for agents" value={thisMonth.drafted} testId="month-drafted" />
      </div>
      <OutcomeBars days={days} />
      <div className="flex flex-wrap gap-3 text-xs text-muted-foreground">
        <span className="flex items-center gap-1">
          <span className="size-2 rounded-sm bg-success" />
          Answered
        </span>
        <span className="flex items-center gap-1">
          <span className="size-2 rounded-sm bg-warning" />
          Handed off
        </span>
        <span className="flex items-center gap-1">
          <span className="size-2 rounded-sm bg-destructive" />
          Fallback
        </span>
        <span className="flex items-center gap-1">
          <span className="size-2 rounded-sm bg-muted-foreground/40" />
          Skipped
        </span>
      </div>
      {/* Scrolls on its own: focusable, so the keyboard can scroll it too. */}
      <section
        className="max-h-72 overflow-auto rounded-md border outline-none focus-visible:ring-2 focus-visible:ring-ring"
        aria-label="Usage per day"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to scroll by keyboard
        tabIndex={0}
      >
        <table className="w-full text-sm" data-testid="usage-table">
          <thead className="sticky top-0 bg-muted text-left text-xs text-muted-foreground">
            <tr>
              <th className="px-3 py-1.5 font-medium">Day</th>
              <th className="px-3 py-1.5 text-right font-medium">Replies</th>
              <th className="px-3 py-1.5 text-right font-medium">Handed off</th>
              <th className="px-3 py-1.5 text-right font-medium">Fallback</th>
              <th className="px-3 py-1.5 text-right font-medium">Skipped</th>
              <th className="px-3 py-1.5 text-right font-medium">Prompt tokens</th>
              <th className="px-3 py-1.5 text-right font-medium">Completion tokens</th>
            </tr>
          </thead>
          <tbody className="tabular-nums">
            {[...days].reverse().map((d) => (
              <tr key={d.day} className="border-t" data-testid="usage-day" data-day={d.day}>
                <td className="px-3 py-1">{d.day}</td>
                <td className="px-3 py-1 text-right">{number.format(d.replies)}</td>
                <td className="px-3 py-1 text-right">{number.format(d.handedOff)}</td>
                <td className="px-3 py-1 text-right">{number.format(d.fallback)}</td>
                <td className="px-3 py-1 text-right">{number.format(d.skipped)}</td>
                <td className="px-3 py-1 text-right">{number.format(d.promptTokens)}</td>
                <td className="px-3 py-1 text-right">{number.format(d.completionTokens)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Section>
  );
}
