import type { Metadata } from "next";
import { Suspense } from "react";
import { AdminOnly } from "@/components/settings/admin-only";
import { GmailSettingsPage } from "@/components/settings/gmail/gmail-settings";

export const metadata: Metadata = { title: "Gmail" };

export default function GmailSettingsRoute() {
  return (
    <AdminOnly page="Gmail">
      <Suspense>
        <GmailSettingsPage />
      </Suspense>
    </AdminOnly>
  );
}
