import { Suspense } from "react";
import { ConversationList } from "@/components/inbox/conversation-list";
import { InboxPanes } from "@/components/inbox/inbox-panes";
import { LiveInbox } from "@/components/inbox/live";

export default function InboxLayout({ children }: { children: React.ReactNode }) {
  return (
    <LiveInbox>
      <InboxPanes
        list={
          <Suspense>
            <ConversationList />
          </Suspense>
        }
      >
        {children}
      </InboxPanes>
    </LiveInbox>
  );
}
