"use client";

// Recharts draws SVG; its colours are the theme's CSS variables, so the charts
// follow dark mode like the rest of the page.
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatCount, shortDay } from "./format";

const axis = {
  tick: { fill: "var(--muted-foreground)", fontSize: 12 },
  stroke: "var(--border)",
  tickLine: false,
};
const tooltip = {
  contentStyle: {
    background: "var(--card)",
    border: "1px solid var(--border)",
    borderRadius: "0.5rem",
    color: "var(--card-foreground)",
    fontSize: 12,
  },
  labelStyle: { color: "var(--foreground)" },
  cursor: { fill: "var(--muted)", stroke: "var(--border)" },
  labelFormatter: (day: unknown) => shortDay(String(day)),
  formatter: (value: unknown) => formatCount(Number(value)),
};
const HEIGHT = 220;

/** Conversations created per day, a bar a day. */
export function ConversationsChart({ days }: { days: { day: string; conversations: number }[] }) {
  return (
    <div role="img" aria-label="Conversations per day, bar chart" className="w-full">
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid vertical={false} stroke="var(--border)" />
          <XAxis dataKey="day" tickFormatter={shortDay} minTickGap={24} {...axis} />
          <YAxis allowDecimals={false} width={48} {...axis} />
          <Tooltip {...tooltip} />
          <Bar
            dataKey="conversations"
            name="Conversations"
            fill="var(--primary)"
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Messages sent (agents and bot, public) against received (customers), per day. */
export function MessagesChart({
  days,
}: {
  days: { day: string; sent: number; received: number }[];
}) {
  return (
    <div role="img" aria-label="Messages sent and received per day, line chart" className="w-full">
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <LineChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid vertical={false} stroke="var(--border)" />
          <XAxis dataKey="day" tickFormatter={shortDay} minTickGap={24} {...axis} />
          <YAxis allowDecimals={false} width={48} {...axis} />
          <Tooltip {...tooltip} cursor={{ stroke: "var(--border)" }} />
          <Legend
            iconType="plainline"
            wrapperStyle={{ fontSize: 12, color: "var(--muted-foreground)" }}
          />
          <Line
            dataKey="sent"
            name="Sent"
            type="linear"
            stroke="var(--primary)"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
          <Line
            dataKey="received"
            name="Received"
            type="linear"
            stroke="var(--muted-foreground)"
            strokeWidth={2}
            strokeDasharray="5 3"
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
