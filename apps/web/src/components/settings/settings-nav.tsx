"use client";

import { BookOpen, Bot, MessageSquare, Users } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";

const PAGES = [
  { href: "/settings/widget", label: "Chat widget", icon: MessageSquare },
  { href: "/settings/team", label: "Team", icon: Users },
  { href: "/settings/assistant", label: "AI assistant", icon: Bot },
  { href: "/settings/knowledge", label: "Knowledge base", icon: BookOpen },
] as const;

/** The settings pages, beside them on wide screens and above them on narrow ones. */
export function SettingsNav() {
  const pathname = usePathname();
  return (
    <nav
      aria-label="Settings"
      className="shrink-0 border-b bg-background px-3 py-3 md:w-56 md:border-r md:border-b-0 md:py-6"
    >
      <h2 className="mb-2 hidden px-2 text-xs font-semibold tracking-wide text-muted-foreground uppercase md:block">
        Settings
      </h2>
      {/* On narrow screens the pages are one row that scrolls sideways, not the page. */}
      <ul className="flex gap-1 overflow-x-auto p-0.5 md:flex-col md:overflow-visible md:p-0">
        {PAGES.map(({ href, label, icon: Icon }) => {
          const current = pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={href}>
              <Link
                href={href}
                aria-current={current ? "page" : undefined}
                className={cn(
                  "flex items-center gap-2 whitespace-nowrap rounded-md px-2 py-1.5 text-sm font-medium text-muted-foreground outline-none transition-colors hover:bg-accent hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring",
                  current && "bg-accent text-foreground",
                )}
              >
                <Icon className="size-4" aria-hidden />
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
