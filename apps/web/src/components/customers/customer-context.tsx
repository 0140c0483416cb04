import { messageTime } from "@/lib/format";
import type { Customer } from "./customer-profile";

/** Where the customer is and what they use, as the widget last reported it. */
export function CustomerContext({ customer }: { customer: Customer }) {
  const rows: [string, React.ReactNode][] = [
    [
      "Page",
      customer.currentUrl ? (
        <a
          href={customer.currentUrl}
          target="_blank"
          rel="noopener noreferrer nofollow"
          className="underline underline-offset-2"
        >
          {customer.currentUrl}
        </a>
      ) : null,
    ],
    ["Browser", customer.browser],
    ["OS", customer.os],
    ["Time zone", customer.timeZone],
    ["Language", customer.language],
    ["Last seen", customer.lastSeenAt ? messageTime(customer.lastSeenAt) : null],
  ];
  const metadata = Object.entries(customer.metadata);
  return (
    <dl
      className="grid grid-cols-[5rem_1fr] gap-x-2 gap-y-1 text-sm"
      data-testid="customer-context"
    >
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-muted-foreground">{label}</dt>
          <dd className="truncate">{value ?? <span className="text-muted-foreground">—</span>}</dd>
        </div>
      ))}
      {metadata.map(([key, value]) => (
        <div key={`meta-${key}`} className="contents">
          <dt className="truncate text-muted-foreground">{key}</dt>
          <dd className="truncate">{String(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
