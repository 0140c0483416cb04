"use client";

import { CustomerSidebar } from "./customer-sidebar";
import { MergeCustomer } from "./merge-customer";

/** A customer's page: the same panels as beside a conversation, and merging. */
export function CustomerDetail({ id }: { id: string }) {
  return (
    <div className="grid gap-4 md:grid-cols-[minmax(0,1fr)_18rem] md:items-start">
      <CustomerSidebar customerId={id} className="rounded-lg border bg-background" />
      <MergeCustomer keepId={id} />
    </div>
  );
}
