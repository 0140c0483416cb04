import type { Metadata } from "next";
import { OutgoingMailPage } from "@/components/settings/outgoing-mail/outgoing-mail-page";

export const metadata: Metadata = { title: "Outgoing mail" };

export default function OutgoingMailRoute() {
  return <OutgoingMailPage />;
}
