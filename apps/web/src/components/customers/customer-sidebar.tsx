"use client";

// Everything the team knows about the customer beside a conversation (or on
// the customer's page): profile, context, company, tags, notes and history.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { ErrorMessage } from "@/components/error-message";
import { customerLabel } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { CustomerCompany } from "./customer-company";
import { CustomerContext } from "./customer-context";
import { CustomerConversations } from "./customer-conversations";
import { CustomerNotes } from "./customer-notes";
import { CustomerProfile } from "./customer-profile";
import { CustomerTags } from "./customer-tags";
import { SendTranscript } from "./send-transcript";

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="grid gap-2 border-b px-4 py-3 last:border-b-0">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-muted-foreground">
        {title}
      </h3>
      {children}
    </section>
  );
}

export function CustomerSidebar({
  customerId,
  conversationId,
  className,
}: {
  customerId: string;
  /** The conversation shown beside it, marked in the history. */
  conversationId?: string;
  className?: string;
}) {
  const trpc = useTRPC();
  const customer = useQuery(trpc.customers.get.queryOptions({ id: customerId }));
  return (
    <aside aria-label="Customer" className={className} data-testid="customer-sidebar">
      {customer.isError ? (
        <ErrorMessage error={customer.error} className="m-4" />
      ) : !customer.data ? (
        <p className="p-4 text-sm text-muted-foreground">Loading customer…</p>
      ) : (
        <>
          <div className="px-4 pt-4 pb-2">
            <Link
              href={`/customers/${customerId}`}
              className="text-base font-semibold hover:underline"
              data-testid="customer-title"
            >
              {customerLabel(customer.data)}
            </Link>
          </div>
          <Section title="Profile">
            <CustomerProfile customer={customer.data} />
          </Section>
          <Section title="Company">
            <CustomerCompany customer={customer.data} />
          </Section>
          <Section title="Tags">
            <CustomerTags customer={customer.data} />
          </Section>
          <Section title="Context">
            <CustomerContext customer={customer.data} />
          </Section>
          <Section title="Notes">
            <CustomerNotes customerId={customerId} />
          </Section>
          {conversationId ? (
            <Section title="Transcript">
              <SendTranscript
                conversationId={conversationId}
                customerEmail={customer.data.email ?? null}
              />
            </Section>
          ) : null}
          <Section title="Conversations">
            <CustomerConversations customer={customer.data} currentId={conversationId} />
          </Section>
        </>
      )}
    </aside>
  );
}
