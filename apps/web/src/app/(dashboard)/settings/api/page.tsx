import type { Metadata } from "next";
import { ApiReferencePage } from "@/components/settings/api-reference/api-reference";

export const metadata: Metadata = { title: "REST API" };

export default function ApiReferenceRoute() {
  return <ApiReferencePage />;
}
