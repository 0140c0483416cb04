import type { Metadata } from "next";
import { KnowledgeBasePage } from "@/components/knowledge/knowledge-base-page";
import { AdminOnly } from "@/components/settings/admin-only";

export const metadata: Metadata = { title: "Knowledge base" };

export default function KnowledgeBaseRoute() {
  return (
    <AdminOnly page="the knowledge base">
      <KnowledgeBasePage />
    </AdminOnly>
  );
}
