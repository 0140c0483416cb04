import type { Metadata } from "next";
import { TeamSettingsPage } from "@/components/settings/team/team-settings";

export const metadata: Metadata = { title: "Team" };

export default function TeamSettingsRoute() {
  return <TeamSettingsPage />;
}
