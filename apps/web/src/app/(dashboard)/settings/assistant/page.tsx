import type { Metadata } from "next";
import { AssistantSettingsPage } from "@/components/assistant/assistant-settings";
import { AdminOnly } from "@/components/settings/admin-only";

export const metadata: Metadata = { title: "AI assistant" };

export default function AssistantSettingsRoute() {
  return (
    <AdminOnly page="the AI assistant">
      <AssistantSettingsPage />
    </AdminOnly>
  );
}
