import { Suspense } from "react";
import { ConversationList } from "@/components/inbox/conversation-list";
import { LiveInbox } from "@/components/inbox/live";

export default function InboxLayout({ children }: { children: React.ReactNode }) {
  return (
    <LiveInbox>
      <Suspense>
        <ConversationList />
      </Suspense>
      {children}
    </LiveInbox>
  );
}
