import type { Metadata } from "next";
import { AccountSettingsPage } from "@/components/settings/account/account-settings";
import { AdminOnly } from "@/components/settings/admin-only";

export const metadata: Metadata = { title: "Account" };

export default function AccountSettingsRoute() {
  return (
    <AdminOnly page="the account">
      <AccountSettingsPage />
    </AdminOnly>
  );
}
