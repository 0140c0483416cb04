import { SettingsHome } from "@/components/settings/settings-home";

export default function SettingsPage() {
  return <SettingsHome />;
}
