import { formatCount, WEEKDAYS } from "./format";

type Cell = { weekday: number; hour: number; conversations: number };

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);
/** Monday first, as a working week reads. */
const ROWS = [1, 2, 3, 4, 5, 6, 0];

/**
 * Conversations by weekday and hour: a table of counts drawn as shaded cells,
 * each cell's shade its share of the busiest one; screen readers get the counts.
 */
export function WeekdayHourHeatmap({ cells, timeZone }: { cells: Cell[]; timeZone: string }) {
  const counts = new Map(cells.map((c) => [`${c.weekday}:${c.hour}`, c.conversations]));
  const max = Math.max(1, ...cells.map((c) => c.conversations));
  return (
    <div className="overflow-x-auto">
      <table
        className="w-full min-w-[22rem] table-fixed border-separate border-spacing-px text-[10px] text-muted-foreground"
        data-testid="heatmap-grid"
      >
        <caption className="sr-only">Conversations by weekday and hour, in {timeZone}</caption>
        <thead>
          <tr>
            <th scope="col" className="w-9 font-normal">
              <span className="sr-only">Weekday</span>
            </th>
            {HOURS.map((hour) => (
              <th key={hour} scope="col" className="font-normal">
                <span aria-hidden>{hour % 6 === 0 ? hour : ""}</span>
                <span className="sr-only">{hour}:00</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ROWS.map((weekday) => (
            <tr key={weekday}>
              <th scope="row" className="pr-1 text-left font-normal">
                {WEEKDAYS[weekday]}
              </th>
              {HOURS.map((hour) => {
                const n = counts.get(`${weekday}:${hour}`) ?? 0;
                return (
                  <td
                    key={hour}
                    title={`${WEEKDAYS[weekday]} ${String(hour).padStart(2, "0")}:00, ${formatCount(n)} conversations`}
                    data-testid="heatmap-cell"
                    data-weekday={weekday}
                    data-hour={hour}
                    data-count={n}
                    className="relative h-5 rounded-sm bg-muted p-0"
                  >
                    {n > 0 ? (
                      <span
                        className="absolute inset-0 rounded-sm bg-primary"
                        style={{ opacity: 0.15 + 0.85 * (n / max) }}
                        aria-hidden
                      />
                    ) : null}
                    <span className="sr-only">{formatCount(n)}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
