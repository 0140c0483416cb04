import type { Metadata } from "next";
import { Suspense } from "react";
import { AdminOnly } from "@/components/settings/admin-only";
import { SlackSettingsPage } from "@/components/settings/slack/slack-settings";

export const metadata: Metadata = { title: "Slack" };

export default function SlackSettingsRoute() {
  return (
    <AdminOnly page="Slack">
      <Suspense>
        <SlackSettingsPage />
      </Suspense>
    </AdminOnly>
  );
}
