import type { Metadata } from "next";
import { Suspense } from "react";
import { ConversationView } from "@/components/inbox/conversation-view";
import { PhoneThreadBar } from "@/components/inbox/phone-thread-bar";

export const metadata: Metadata = { title: "Conversation" };

export default async function ConversationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <div className="flex min-w-0 flex-1 flex-col">
      <Suspense>
        <PhoneThreadBar conversationId={id} />
      </Suspense>
      <div className="flex min-h-0 flex-1">
        <ConversationView key={id} id={id} />
      </div>
    </div>
  );
}
