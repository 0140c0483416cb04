import type { Metadata } from "next";
import { AdminOnly } from "@/components/settings/admin-only";
import { SlackSupportSettingsPage } from "@/components/settings/slack-support/slack-support-settings";

export const metadata: Metadata = { title: "Slack support channels" };

export default function SlackSupportSettingsRoute() {
  return (
    <AdminOnly page="Slack support channels">
      <SlackSupportSettingsPage />
    </AdminOnly>
  );
}
