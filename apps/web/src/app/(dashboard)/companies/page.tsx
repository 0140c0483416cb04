import type { Metadata } from "next";
import { CompanyList } from "@/components/companies/company-list";
import { DirectoryPage } from "@/components/customers/directory-tabs";

export const metadata: Metadata = { title: "Companies" };

export default function CompaniesPage() {
  return (
    <DirectoryPage>
      <CompanyList />
    </DirectoryPage>
  );
}
