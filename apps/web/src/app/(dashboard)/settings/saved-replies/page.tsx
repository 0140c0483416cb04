import type { Metadata } from "next";
import { SavedRepliesSettingsPage } from "@/components/settings/saved-replies/saved-replies-settings";

export const metadata: Metadata = { title: "Saved replies" };

export default function SavedRepliesSettingsRoute() {
  return <SavedRepliesSettingsPage />;
}
