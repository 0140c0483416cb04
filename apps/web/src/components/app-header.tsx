"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { BarChart3, Bot, Inbox, LogOut, Settings, Users } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { ErrorMessage } from "@/components/error-message";
import { Logo } from "@/components/logo";
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

/** The dashboard's sections; the current one is marked. */
function MainNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex items-center gap-1">
      {NAV.map(({ href, label, icon: Icon, testId }) => {
        const current = pathname === href || pathname.startsWith(`${href}/`);
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
            <span className="hidden sm:inline">{label}</span>
            <span className="sr-only sm:hidden">{label}</span>
          </Link>
        );
      })}
    </nav>
  );
}

export function AppHeader({ me }: { me: Me }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const logOut = useMutation(
    trpc.auth.logOut.mutationOptions({
      onSuccess: () => {
        // The socket was authenticated with the session that just ended.
        void closeRealtime();
        queryClient.clear();
        router.replace("/login");
      },
    }),
  );

  return (
    <header className="flex h-14 shrink-0 items-center gap-4 border-b bg-background px-4">
      <Link href="/inbox" aria-label="Netia inbox">
        <Logo />
      </Link>
      <span className="hidden h-5 w-px bg-border sm:block" aria-hidden />
      <span className="hidden truncate text-sm font-medium sm:inline" data-testid="account-name">
        {me.account.companyName}
      </span>
      <MainNav />
      <div className="ml-auto flex items-center gap-3">
        <ErrorMessage error={logOut.error} className="py-1" />
        <span className="hidden text-sm text-muted-foreground sm:inline" data-testid="user-name">
          {me.user.name}
        </span>
        <Badge variant="secondary" className="capitalize">
          {me.role}
        </Badge>
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
    </header>
  );
}
