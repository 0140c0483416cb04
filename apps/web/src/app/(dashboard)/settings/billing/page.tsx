import type { Metadata } from "next";
import { Suspense } from "react";
import { AdminOnly } from "@/components/settings/admin-only";
import { BillingSettingsPage } from "@/components/settings/billing/billing-settings";

export const metadata: Metadata = { title: "Billing" };

export default function BillingSettingsRoute() {
  return (
    <AdminOnly page="billing">
      <Suspense>
        <BillingSettingsPage />
      </Suspense>
    </AdminOnly>
  );
}
