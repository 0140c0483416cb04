"use client";

import { useQuery } from "@tanstack/react-query";
import {
  Bell,
  BookOpen,
  Bot,
  Braces,
  Building2,
  CreditCard,
  Hash,
  Inbox,
  KeyRound,
  MessageSquare,
  MessageSquareText,
  Send,
  Tag,
  UserRound,
  Users,
  Webhook,
} from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useMe } from "@/components/auth/auth-gate";
import { useTRPC } from "@/lib/trpc";
import { cn } from "@/lib/utils";

/**
 * Every settings page; `admin` pages are hidden from agents (the server
 * refuses their changes), `billing` pages from every server that does not
 * bill accounts (no PAPERCUPS_STRIPE_SECRET).
 */
export const SETTINGS_PAGES = [
  { href: "/settings/profile", label: "Profile", icon: UserRound, admin: false },
  { href: "/settings/notifications", label: "Notifications", icon: Bell, admin: false },
  { href: "/settings/tags", label: "Tags", icon: Tag, admin: false },
  {
    href: "/settings/saved-replies",
    label: "Saved replies",
    icon: MessageSquareText,
    admin: false,
  },
  { href: "/settings/api-keys", label: "API keys", icon: KeyRound, admin: false },
  { href: "/settings/api", label: "REST API", icon: Braces, admin: false },
  { href: "/settings/account", label: "Account", icon: Building2, admin: true },
  { href: "/settings/inboxes", label: "Inboxes", icon: Inbox, admin: true },
  { href: "/settings/widget", label: "Chat widget", icon: MessageSquare, admin: true },
  { href: "/settings/team", label: "Team", icon: Users, admin: true },
  { href: "/settings/assistant", label: "AI assistant", icon: Bot, admin: true },
  { href: "/settings/knowledge", label: "Knowledge base", icon: BookOpen, admin: true },
  { href: "/settings/outgoing-mail", label: "Outgoing mail", icon: Send, admin: true },
  { href: "/settings/integrations/gmail", label: "Gmail", icon: Inbox, admin: true },
  { href: "/settings/webhooks", label: "Webhooks", icon: Webhook, admin: true },
  { href: "/settings/integrations/slack", label: "Slack", icon: Hash, admin: true },
  {
    href: "/settings/integrations/slack-support",
    label: "Slack support channels",
    icon: Hash,
    admin: true,
  },
  { href: "/settings/billing", label: "Billing", icon: CreditCard, admin: true, billing: true },
] as const;

/** The settings pages the user may use, beside them on wide screens and above them on narrow ones. */
export function SettingsNav() {
  const pathname = usePathname();
  const me = useMe();
  const isAdmin = me.role === "admin";
  const pages = SETTINGS_PAGES.filter(
    (page) => (isAdmin || !page.admin) && (me.billing || !("billing" in page)),
  );
  const trpc = useTRPC();
  // Emails that failed this week, so a broken SMTP setup does not go unnoticed.
  const failed = useQuery(
    trpc.email.failedCount.queryOptions(undefined, { enabled: isAdmin, refetchInterval: 60_000 }),
  );
  const failedCount = failed.data?.count ?? 0;
  return (
    <nav
      aria-label="Settings"
      className="shrink-0 border-b bg-background px-3 py-3 md:w-56 md:border-r md:border-b-0 md:py-6"
    >
      <h2 className="mb-2 hidden px-2 text-xs font-semibold tracking-wide text-muted-foreground uppercase md:block">
        Settings
      </h2>
      <ul className="-mx-3 flex gap-1 overflow-x-auto px-3 pb-1 md:mx-0 md:flex-col md:overflow-visible md:px-0 md:pb-0">
        {pages.map(({ href, label, icon: Icon }) => {
          const current = pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={href} className="shrink-0">
              <Link
                href={href}
                aria-current={current ? "page" : undefined}
                className={cn(
                  "flex items-center gap-2 whitespace-nowrap rounded-md px-2 py-1.5 text-sm font-medium text-muted-foreground outline-none transition-colors hover:bg-accent hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-inset",
                  current && "bg-accent text-foreground",
                )}
              >
                <Icon className="size-4" aria-hidden />
                {label}
                {href === "/settings/outgoing-mail" && failedCount > 0 ? (
                  <span
                    className="ml-auto rounded-full bg-destructive px-1.5 text-xs font-semibold text-destructive-foreground tabular-nums"
                    data-testid="failed-email-count"
                    title="Emails that failed in the last 7 days"
                  >
                    {failedCount}
                    <span className="sr-only"> failed in the last 7 days</span>
                  </span>
                ) : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
