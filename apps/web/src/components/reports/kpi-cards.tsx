import type { RouterOutputs } from "@/lib/trpc";
import { formatCount, formatDuration } from "./format";

type Times = RouterOutputs["reports"]["responseTimes"];
type Split = Times["firstResponse"];

function Kpi({
  label,
  value,
  detail,
  testId,
}: {
  label: string;
  /** Undefined while loading; null when it could not be loaded (the card below says why). */
  value: string | null | undefined;
  detail?: React.ReactNode;
  testId: string;
}) {
  return (
    <div
      className="grid content-start gap-1 rounded-lg border bg-card px-3 py-2.5"
      data-testid={testId}
    >
      <span className="text-xs text-muted-foreground">{label}</span>
      {value === undefined ? (
        <span
          className="h-7 w-16 animate-pulse rounded bg-muted"
          role="status"
          aria-label="Loading"
        />
      ) : (
        <span className="text-xl font-semibold tabular-nums" data-testid={`${testId}-value`}>
          {value ?? "–"}
        </span>
      )}
      {detail}
    </div>
  );
}

/** Median and p90, then the same split by when the conversation began. */
function TimeKpi({
  label,
  split,
  testId,
}: {
  label: string;
  split: Split | null | undefined;
  testId: string;
}) {
  const part = (name: string, d: Split["all"], id: string) => (
    <span className="tabular-nums" data-testid={`${testId}-${id}`}>
      {name}: {formatDuration(d.median)} · p90 {formatDuration(d.p90)}
    </span>
  );
  return (
    <Kpi
      label={`${label}, median`}
      value={split ? formatDuration(split.all.median) : split}
      testId={testId}
      detail={
        split ? (
          <div className="grid gap-0.5 text-xs text-muted-foreground">
            <span className="tabular-nums" data-testid={`${testId}-p90`}>
              p90 {formatDuration(split.all.p90)} · {formatCount(split.all.count)} conversations
            </span>
            {part("Within hours", split.withinHours, "within")}
            {part("Outside hours", split.outsideHours, "outside")}
          </div>
        ) : null
      }
    />
  );
}

/** The range's headline numbers; each shows as soon as its query answers. */
export function KpiCards({
  conversations,
  sent,
  received,
  times,
}: {
  conversations: number | null | undefined;
  sent: number | null | undefined;
  received: number | null | undefined;
  times: Times | null | undefined;
}) {
  const fmt = (n: number | null | undefined) => (typeof n === "number" ? formatCount(n) : n);
  return (
    <section
      aria-label="Key figures"
      className="grid grid-cols-2 gap-3 lg:grid-cols-5"
      data-testid="kpis"
    >
      <Kpi label="Conversations" value={fmt(conversations)} testId="kpi-conversations" />
      <Kpi label="Messages sent" value={fmt(sent)} testId="kpi-sent" />
      <Kpi label="Messages received" value={fmt(received)} testId="kpi-received" />
      <TimeKpi
        label="First response"
        split={times ? times.firstResponse : times}
        testId="kpi-first-response"
      />
      <TimeKpi
        label="Resolution"
        split={times ? times.resolution : times}
        testId="kpi-resolution"
      />
    </section>
  );
}
