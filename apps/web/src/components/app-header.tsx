"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import {
  BarChart3,
  Bot,
  Inbox,
  LogOut,
  Menu,
  Monitor,
  Moon,
  Settings,
  Sun,
  Users,
} from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { OnlineAgents } from "@/components/inbox/online-agents";
import { Popover } from "@/components/inbox/popover";
import { Logo } from "@/components/logo";
import { ThemeChoice } from "@/components/theme/theme-choice";
import { useTheme } from "@/components/theme/use-theme";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { closeRealtime } from "@/lib/realtime";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { cn } from "@/lib/utils";

export type Me = NonNullable<RouterOutputs["auth"]["me"]>;

const NAV = [
  { href: "/inbox", label: "Inbox", icon: Inbox, testId: "nav-inbox" },
  { href: "/customers", label: "Customers", icon: Users, testId: "nav-customers" },
  { href: "/assistant", label: "AI", icon: Bot, testId: "nav-assistant" },
  { href: "/reports", label: "Reports", icon: BarChart3, testId: "nav-reports" },
  { href: "/settings", label: "Settings", icon: Settings, testId: "nav-settings" },
] as const;

function isCurrent(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}

/** The dashboard's sections in the header (wide screens); the current one is marked. */
function MainNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="hidden items-center gap-1 md:flex">
      {NAV.map(({ href, label, icon: Icon, testId }) => {
        const current = isCurrent(pathname, href);
        return (
          <Link
            key={href}
            href={href}
            aria-current={current ? "page" : undefined}
            data-testid={testId}
            className={cn(
              "flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm font-medium text-muted-foreground outline-none transition-colors hover:bg-accent hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring [&_svg]:size-4",
              current && "bg-accent text-foreground",
            )}
          >
            <Icon aria-hidden />
            <span className="hidden lg:inline">{label}</span>
            <span className="sr-only lg:hidden">{label}</span>
          </Link>
        );
      })}
    </nav>
  );
}

function useLogOut() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  return useMutation(
    trpc.auth.logOut.mutationOptions({
      onSuccess: () => {
        // The socket was authenticated with the session that just ended.
        void closeRealtime();
        queryClient.clear();
        router.replace("/login");
      },
    }),
  );
}

const THEME_ICONS = { system: Monitor, light: Sun, dark: Moon } as const;

/** The theme choice behind a small button (wide screens). */
function ThemeMenu() {
  const [open, setOpen] = useState(false);
  const { theme } = useTheme();
  const Icon = THEME_ICONS[theme];
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      label="Theme"
      testId="theme-menu"
      trigger={
        <>
          <Icon aria-hidden />
          <span className="sr-only">Theme</span>
        </>
      }
    >
      <ThemeChoice />
    </Popover>
  );
}

/**
 * Everything the header holds, behind one button on narrow screens (phones),
 * where the header would otherwise wrap: sections, who is signed in, the
 * theme, log out.
 */
function PhoneMenu({ me, logOut }: { me: Me; logOut: ReturnType<typeof useLogOut> }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  return (
    <div className="ml-auto md:hidden">
      <Popover
        open={open}
        onOpenChange={setOpen}
        label="Menu"
        testId="header-menu"
        className="w-72"
        trigger={
          <>
            <Menu aria-hidden />
            <span className="sr-only">Menu</span>
          </>
        }
      >
        <div className="grid gap-3" data-testid="header-menu-panel">
          <div className="grid gap-0.5 px-2 pt-1">
            <span className="truncate text-sm font-medium">{me.user.name}</span>
            <span className="truncate text-xs text-muted-foreground">
              {me.account.companyName} · <span className="capitalize">{me.role}</span>
            </span>
          </div>
          <nav aria-label="Main">
            <ul className="grid gap-0.5">
              {NAV.map(({ href, label, icon: Icon, testId }) => {
                const current = isCurrent(pathname, href);
                return (
                  <li key={href}>
                    <Link
                      href={href}
                      onClick={() => setOpen(false)}
                      aria-current={current ? "page" : undefined}
                      data-testid={`menu-${testId}`}
                      className={cn(
                        "flex items-center gap-2 rounded-md px-2 py-2 text-sm font-medium text-muted-foreground outline-none hover:bg-accent hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring",
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
          <div className="border-t px-2 pt-3">
            <ThemeChoice testId="menu-theme" />
          </div>
          <div className="border-t pt-2">
            <ErrorMessage error={logOut.error} className="mb-2" />
            <Button
              variant="ghost"
              size="sm"
              className="w-full justify-start"
              onClick={() => logOut.mutate()}
              disabled={logOut.isPending}
              data-testid="menu-logout"
            >
              <LogOut aria-hidden />
              Log out
            </Button>
          </div>
        </div>
      </Popover>
    </div>
  );
}

export function AppHeader({ me }: { me: Me }) {
  const logOut = useLogOut();
  return (
    <header className="flex h-14 shrink-0 items-center gap-4 border-b bg-background px-4">
      <Link
        href="/inbox"
        aria-label="Netia inbox"
        className="rounded-md outline-none focus-visible:ring-2 focus-visible:ring-ring"
      >
        <Logo />
      </Link>
      <span className="hidden h-5 w-px bg-border lg:block" aria-hidden />
      <span
        className="hidden max-w-48 truncate text-sm font-medium lg:inline"
        data-testid="account-name"
      >
        {me.account.companyName}
      </span>
      <MainNav />
      <div className="ml-auto hidden items-center gap-3 md:flex">
        <ErrorMessage error={logOut.error} className="py-1" />
        <OnlineAgents />
        <span
          className="hidden max-w-40 truncate text-sm text-muted-foreground lg:inline"
          data-testid="user-name"
        >
          {me.user.name}
        </span>
        <Badge variant="secondary" className="capitalize">
          {me.role}
        </Badge>
        <ThemeMenu />
        <Button
          variant="ghost"
          size="sm"
          onClick={() => logOut.mutate()}
          disabled={logOut.isPending}
          data-testid="logout"
        >
          <LogOut aria-hidden />
          Log out
        </Button>
      </div>
      <PhoneMenu me={me} logOut={logOut} />
    </header>
  );
}
