import type { Metadata } from "next";
import { ApiKeysSettingsPage } from "@/components/settings/api-keys/api-keys-settings";

export const metadata: Metadata = { title: "API keys" };

export default function ApiKeysSettingsRoute() {
  return <ApiKeysSettingsPage />;
}
