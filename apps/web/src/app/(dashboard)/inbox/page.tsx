import { Inbox } from "lucide-react";
import type { Metadata } from "next";
import { OnboardingChecklist } from "@/components/onboarding/onboarding-checklist";

export const metadata: Metadata = { title: "Inbox" };

export default function InboxPage() {
  return (
    // On a phone only the checklist shows here, above the list (see InboxPanes).
    <section
      aria-label="No conversation open"
      className="flex flex-1 flex-col items-center justify-center gap-6 md:bg-muted/40 md:p-6"
    >
      <OnboardingChecklist className="rounded-none border-x-0 border-t-0 shadow-none md:rounded-xl md:border md:shadow-sm" />
      <div className="hidden flex-col items-center gap-2 text-center md:flex">
        <Inbox className="size-8 text-muted-foreground" aria-hidden />
        <p className="font-medium">Select a conversation</p>
        <p className="text-sm text-muted-foreground">Pick one from the list to read and reply.</p>
      </div>
    </section>
  );
}
