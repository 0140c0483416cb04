import type { Metadata } from "next";
import { TagsSettingsPage } from "@/components/settings/tags/tags-settings";

export const metadata: Metadata = { title: "Tags" };

export default function TagsSettingsRoute() {
  return <TagsSettingsPage />;
}
