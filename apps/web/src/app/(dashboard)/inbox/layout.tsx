import { Suspense } from "react";
import { ConversationList } from "@/components/inbox/conversation-list";

export default function InboxLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      <Suspense>
        <ConversationList />
      </Suspense>
      {children}
    </>
  );
}
