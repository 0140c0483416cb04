import { Suspense } from "react";
import { ConversationList } from "@/components/inbox/conversation-list";
import { InboxPanes } from "@/components/inbox/inbox-panes";

export default function InboxLayout({ children }: { children: React.ReactNode }) {
  return (
    <InboxPanes
      list={
        <Suspense>
          <ConversationList />
        </Suspense>
      }
    >
      {children}
    </InboxPanes>
  );
}
