import type { Metadata } from "next";
import { CompanyDetail } from "@/components/companies/company-detail";
import { DirectoryPage } from "@/components/customers/directory-tabs";

export const metadata: Metadata = { title: "Company" };

export default async function CompanyPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <DirectoryPage>
      <CompanyDetail key={id} id={id} />
    </DirectoryPage>
  );
}
