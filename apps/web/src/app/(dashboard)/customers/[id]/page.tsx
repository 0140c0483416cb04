import type { Metadata } from "next";
import { CustomerDetail } from "@/components/customers/customer-detail";
import { DirectoryPage } from "@/components/customers/directory-tabs";

export const metadata: Metadata = { title: "Customer" };

export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <DirectoryPage>
      <CustomerDetail key={id} id={id} />
    </DirectoryPage>
  );
}
