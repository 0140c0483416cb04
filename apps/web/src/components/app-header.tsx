"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { LogOut } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { ErrorMessage } from "@/components/error-message";
import { Logo } from "@/components/logo";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { closeRealtime } from "@/lib/realtime";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";

export type Me = NonNullable<RouterOutputs["auth"]["me"]>;

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
      <span className="h-5 w-px bg-border" aria-hidden />
      <span className="truncate text-sm font-medium" data-testid="account-name">
        {me.account.companyName}
      </span>
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
