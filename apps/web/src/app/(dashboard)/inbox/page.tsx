import { Inbox } from "lucide-react";
import type { Metadata } from "next";

export const metadata: Metadata = { title: "Inbox" };

export default function InboxPage() {
  return (
    <section className="flex flex-1 flex-col items-center justify-center gap-2 bg-muted/40 p-6 text-center">
      <Inbox className="size-8 text-muted-foreground" aria-hidden />
      <p className="font-medium">Select a conversation</p>
      <p className="text-sm text-muted-foreground">Pick one from the list to read and reply.</p>
    </section>
  );
}
