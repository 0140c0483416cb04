import type { Metadata } from "next";
import { Suspense } from "react";
import { WidgetSettingsPage } from "@/components/settings/widget-settings";

export const metadata: Metadata = { title: "Chat widget" };

export default function WidgetSettingsRoute() {
  return (
    <Suspense>
      <WidgetSettingsPage />
    </Suspense>
  );
}
