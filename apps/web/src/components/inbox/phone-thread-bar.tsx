"use client";

import { useQuery } from "@tanstack/react-query";
import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { CustomerSheet } from "@/components/customers/customer-sheet";
import { useTRPC } from "@/lib/trpc";
import { listHref, parseInboxQuery } from "./views";

/**
 * Above the thread on narrow screens: Back to the list (the same view and
 * filters), and the customer's details, which have no room beside the thread.
 */
export function PhoneThreadBar({ conversationId }: { conversationId: string }) {
  const trpc = useTRPC();
  const query = parseInboxQuery(useSearchParams());
  // The thread asks for the same conversation: this reads the shared cache.
  const conversation = useQuery(trpc.conversations.get.queryOptions({ id: conversationId }));
  return (
    <div className="flex items-center gap-2 border-b bg-background px-2 py-1.5 xl:hidden">
      <Link
        href={listHref(query)}
        data-testid="back-to-list"
        className="flex items-center gap-1 rounded-md px-2 py-1.5 text-sm font-medium outline-none hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring md:hidden"
      >
        <ArrowLeft className="size-4" aria-hidden />
        Back<span className="sr-only"> to conversations</span>
      </Link>
      {conversation.data ? (
        <CustomerSheet
          className="ml-auto"
          customerId={conversation.data.customer.id}
          conversationId={conversationId}
        />
      ) : null}
    </div>
  );
}
