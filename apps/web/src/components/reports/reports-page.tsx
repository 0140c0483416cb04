"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { useTRPC } from "@/lib/trpc";
import { AgentsTable, InboxesTable } from "./breakdown-tables";
import { ReportCard } from "./chart-frame";
import { ConversationsChart, MessagesChart } from "./daily-charts";
import { WeekdayHourHeatmap } from "./heatmap";
import { KpiCards } from "./kpi-cards";
import { lastDayOf, type ReportRange, todayIn } from "./range";
import { type RangeChoice, RangePicker, rangeOf } from "./range-picker";

const sum = <T,>(rows: T[] | undefined, pick: (row: T) => number) =>
  rows?.reduce((total, row) => total + pick(row), 0);

/** Every report of one range, each its own query so each card draws when it can. */
function Reports({ range, timeZone }: { range: ReportRange; timeZone: string }) {
  const trpc = useTRPC();
  const conversations = useQuery(trpc.reports.conversationsPerDay.queryOptions(range));
  const messages = useQuery(trpc.reports.messagesPerDay.queryOptions(range));
  const heatmap = useQuery(trpc.reports.heatmap.queryOptions(range));
  const agents = useQuery(trpc.reports.agents.queryOptions(range));
  const inboxes = useQuery(trpc.reports.inboxes.queryOptions(range));
  const times = useQuery(trpc.reports.responseTimes.queryOptions(range));
  const noDays = (days: { day: string }[], total: number | undefined) =>
    days.length === 0 || total === 0;

  return (
    <>
      <KpiCards
        conversations={conversations.error ? null : sum(conversations.data, (d) => d.conversations)}
        sent={messages.error ? null : sum(messages.data, (d) => d.sent)}
        received={messages.error ? null : sum(messages.data, (d) => d.received)}
        times={times.error ? null : times.data}
      />
      <ErrorMessage error={times.error} />
      <div className="grid gap-4 lg:grid-cols-2">
        <ReportCard
          title="Conversations per day"
          query={conversations}
          isEmpty={(days) =>
            noDays(
              days,
              sum(days, (d) => d.conversations),
            )
          }
          empty="No conversations began in this range."
          testId="chart-conversations"
        >
          {(days) => <ConversationsChart days={days} />}
        </ReportCard>
        <ReportCard
          title="Messages sent and received"
          description="Sent: public replies by agents and the assistant. Received: customers' messages."
          query={messages}
          isEmpty={(days) =>
            noDays(
              days,
              sum(days, (d) => d.sent + d.received),
            )
          }
          empty="No messages in this range."
          testId="chart-messages"
        >
          {(days) => <MessagesChart days={days} />}
        </ReportCard>
      </div>
      <ReportCard
        title="When conversations begin"
        description={`By weekday and hour, in ${timeZone}.`}
        query={heatmap}
        isEmpty={(cells) => cells.length === 0}
        empty="No conversations began in this range."
        testId="chart-heatmap"
      >
        {(cells) => <WeekdayHourHeatmap cells={cells} timeZone={timeZone} />}
      </ReportCard>
      <div className="grid gap-4 lg:grid-cols-2">
        <ReportCard
          title="Agents"
          description="Conversations of the range by their assignee, and replies written in it."
          query={agents}
          isEmpty={(rows) => rows.length === 0}
          testId="chart-agents"
        >
          {(rows) => <AgentsTable agents={rows} />}
        </ReportCard>
        <ReportCard
          title="Inboxes"
          query={inboxes}
          isEmpty={(rows) => rows.length === 0}
          testId="chart-inboxes"
        >
          {(rows) => <InboxesTable inboxes={rows} />}
        </ReportCard>
      </div>
    </>
  );
}

/** The reports page: a range of the account's days and every report over it. */
export function ReportsPage() {
  const trpc = useTRPC();
  const account = useQuery(trpc.account.get.queryOptions());
  const [choice, setChoice] = useState<RangeChoice>({ preset: 30 });
  const timeZone = account.data?.timeZone;
  const today = timeZone ? todayIn(timeZone) : null;
  const range = today ? rangeOf(choice, today) : null;

  return (
    <main className="min-h-0 flex-1 overflow-y-auto bg-muted/20">
      <div className="mx-auto grid max-w-6xl grid-cols-1 gap-4 p-4 sm:p-6">
        <div className="grid gap-1">
          <h1 className="text-2xl font-semibold tracking-tight">Reports</h1>
          <p className="text-sm text-muted-foreground" data-testid="reports-range">
            {range && timeZone
              ? `${range.from} to ${lastDayOf(range)}, days in ${timeZone}. Conversations count from the day they began.`
              : "Conversations, messages and response times."}
          </p>
        </div>
        <ErrorMessage error={account.error} />
        {today && range && timeZone ? (
          <>
            <RangePicker choice={choice} today={today} onChange={setChoice} />
            <Reports range={range} timeZone={timeZone} />
          </>
        ) : account.error ? null : (
          <div
            className="h-48 animate-pulse rounded-xl bg-muted"
            role="status"
            aria-label="Loading"
          />
        )}
      </div>
    </main>
  );
}
