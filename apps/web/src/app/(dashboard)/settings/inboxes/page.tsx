import type { Metadata } from "next";
import { AdminOnly } from "@/components/settings/admin-only";
import { InboxesSettingsPage } from "@/components/settings/inboxes/inboxes-settings";

export const metadata: Metadata = { title: "Inboxes" };

export default function InboxesSettingsRoute() {
  return (
    <AdminOnly page="inboxes">
      <InboxesSettingsPage />
    </AdminOnly>
  );
}
