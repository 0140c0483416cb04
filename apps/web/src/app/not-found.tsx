import { FileQuestion } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";

export const metadata: Metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <main
      className="flex min-h-screen flex-col items-center justify-center gap-3 p-6 text-center"
      data-testid="not-found"
    >
      <FileQuestion className="size-8 text-muted-foreground" aria-hidden />
      <h1 className="text-lg font-semibold">Page not found</h1>
      <p className="max-w-md text-sm text-muted-foreground">
        There is nothing at this address. It may have moved, or the link is incomplete.
      </p>
      <Link href="/inbox" className={buttonVariants()}>
        Go to the inbox
      </Link>
    </main>
  );
}
