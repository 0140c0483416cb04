"use client";

import { Lock } from "lucide-react";
import Link from "next/link";
import { useMe } from "@/components/auth/auth-gate";
import { Button } from "@/components/ui/button";

/**
 * An admin's settings page. Anyone else who opens it by its URL is told so,
 * instead of a form the server would refuse to save.
 */
export function AdminOnly({ page, children }: { page: string; children: React.ReactNode }) {
  const me = useMe();
  if (me.role === "admin") return children;
  return (
    <div className="mx-auto grid max-w-xl p-4 sm:p-6">
      <section
        className="grid justify-items-start gap-3 rounded-xl border bg-card p-6 text-card-foreground shadow-sm"
        data-testid="admin-only"
        aria-labelledby="admin-only-title"
      >
        <Lock className="size-5 text-muted-foreground" aria-hidden />
        <h1 id="admin-only-title" className="text-lg font-semibold">
          Only admins can change {page}
        </h1>
        <p className="text-sm text-muted-foreground">
          Ask an admin of {me.account.companyName} if something here needs to change.
        </p>
        <Button asChild variant="outline" size="sm">
          <Link href="/settings/profile">Go to your profile</Link>
        </Button>
      </section>
    </div>
  );
}
