import type { Metadata } from "next";
import { AssistantSettingsPage } from "@/components/assistant/assistant-settings";

export const metadata: Metadata = { title: "AI assistant" };

export default function AssistantSettingsRoute() {
  return <AssistantSettingsPage />;
}
