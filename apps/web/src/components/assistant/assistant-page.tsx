"use client";

import Link from "next/link";
import { HandoffsList } from "./handoffs-list";
import { AssistantStatusBanner } from "./status-banner";
import { UsageReport } from "./usage-report";

/** The AI page: what the assistant did, what it cost, and what it passed on. */
export function AssistantPage() {
  return (
    <main className="min-h-0 flex-1 overflow-y-auto bg-muted/20">
      <div className="mx-auto grid max-w-5xl grid-cols-1 gap-6 p-4 sm:p-6">
        <div className="flex flex-wrap items-end justify-between gap-4">
          <div className="grid gap-1">
            <h1 className="text-2xl font-semibold tracking-tight">AI assistant</h1>
            <p className="text-sm text-muted-foreground">
              Replies, handoffs and usage.{" "}
              <Link href="/settings/assistant" className="underline">
                Settings
              </Link>
            </p>
          </div>
        </div>
        <AssistantStatusBanner />
        <UsageReport />
        <HandoffsList />
      </div>
    </main>
  );
}
