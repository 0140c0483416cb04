"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";

const TABS = [
  { href: "/customers", label: "Customers" },
  { href: "/companies", label: "Companies" },
] as const;

/** Switches between the customers and companies directories. */
export function DirectoryTabs() {
  const pathname = usePathname();
  return (
    <nav aria-label="Directory" className="flex gap-1 border-b">
      {TABS.map((tab) => {
        const current = pathname === tab.href || pathname.startsWith(`${tab.href}/`);
        return (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={current ? "page" : undefined}
            className={cn(
              "-mb-px border-b-2 border-transparent px-3 py-2 text-sm font-medium text-muted-foreground hover:text-foreground",
              current && "border-primary text-foreground",
            )}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}

/** A directory page: the tabs, then the page's content, scrolling. */
export function DirectoryPage({ children }: { children: React.ReactNode }) {
  return (
    <main className="min-h-0 min-w-0 flex-1 overflow-y-auto bg-muted/20">
      <div className="mx-auto grid max-w-5xl gap-4 p-4 sm:p-6">
        <DirectoryTabs />
        {children}
      </div>
    </main>
  );
}
