import type { Metadata } from "next";
import { Suspense } from "react";
import { AdminOnly } from "@/components/settings/admin-only";
import { WidgetSettingsPage } from "@/components/settings/widget/widget-settings";

export const metadata: Metadata = { title: "Chat widget" };

export default function WidgetSettingsRoute() {
  return (
    <AdminOnly page="the chat widget">
      <Suspense>
        <WidgetSettingsPage />
      </Suspense>
    </AdminOnly>
  );
}
