import type { Metadata } from "next";
import { CustomerList } from "@/components/customers/customer-list";
import { DirectoryPage } from "@/components/customers/directory-tabs";

export const metadata: Metadata = { title: "Customers" };

export default function CustomersPage() {
  return (
    <DirectoryPage>
      <CustomerList />
    </DirectoryPage>
  );
}
