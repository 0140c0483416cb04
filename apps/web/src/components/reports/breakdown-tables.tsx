import type { RouterOutputs } from "@/lib/trpc";
import { formatCount, formatDuration } from "./format";

type Agent = RouterOutputs["reports"]["agents"][number];
type Inbox = RouterOutputs["reports"]["inboxes"][number];

const th = "px-3 py-1.5 font-medium";
const num = "px-3 py-1.5 text-right tabular-nums";

/** A bar behind a number, its length the share of the largest. */
function Share({ value, max }: { value: number; max: number }) {
  return (
    <div className="h-1.5 w-full rounded-full bg-muted" aria-hidden>
      <div
        className="h-full rounded-full bg-primary"
        style={{ width: `${max > 0 ? (value / max) * 100 : 0}%` }}
      />
    </div>
  );
}

/** Per agent: conversations assigned and closed, replies, median first response. */
export function AgentsTable({ agents }: { agents: Agent[] }) {
  const max = Math.max(0, ...agents.map((a) => a.replies));
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[28rem] text-sm" data-testid="agents-table">
        <thead className="text-left text-xs text-muted-foreground">
          <tr className="border-b">
            <th className={th}>Agent</th>
            <th className={`${th} text-right`}>Assigned</th>
            <th className={`${th} text-right`}>Closed</th>
            <th className={`${th} text-right`}>Replies</th>
            <th className={`${th} text-right`}>Median first response</th>
          </tr>
        </thead>
        <tbody>
          {agents.map((a) => (
            <tr key={a.userId} className="border-b last:border-0" data-testid="agent-row">
              <td className="px-3 py-1.5">
                <div className="grid gap-1">
                  <span className="truncate">{a.name}</span>
                  <Share value={a.replies} max={max} />
                </div>
              </td>
              <td className={num}>{formatCount(a.assigned)}</td>
              <td className={num}>{formatCount(a.closed)}</td>
              <td className={num} data-testid="agent-replies">
                {formatCount(a.replies)}
              </td>
              <td className={num}>{formatDuration(a.medianFirstResponseSeconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Per inbox: conversations created and public messages. */
export function InboxesTable({ inboxes }: { inboxes: Inbox[] }) {
  const max = Math.max(0, ...inboxes.map((i) => i.conversations));
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[20rem] text-sm" data-testid="inboxes-table">
        <thead className="text-left text-xs text-muted-foreground">
          <tr className="border-b">
            <th className={th}>Inbox</th>
            <th className={`${th} text-right`}>Conversations</th>
            <th className={`${th} text-right`}>Messages</th>
          </tr>
        </thead>
        <tbody>
          {inboxes.map((i) => (
            <tr key={i.inboxId} className="border-b last:border-0" data-testid="inbox-row">
              <td className="px-3 py-1.5">
                <div className="grid gap-1">
                  <span className="truncate">{i.name}</span>
                  <Share value={i.conversations} max={max} />
                </div>
              </td>
              <td className={num} data-testid="inbox-conversations">
                {formatCount(i.conversations)}
              </td>
              <td className={num}>{formatCount(i.messages)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
