"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useMe } from "@/components/auth/auth-gate";

/** /settings opens the first page the user may use: the account for admins, the profile for agents. */
export function SettingsHome() {
  const isAdmin = useMe().role === "admin";
  const router = useRouter();
  useEffect(() => {
    router.replace(isAdmin ? "/settings/account" : "/settings/profile");
  }, [isAdmin, router]);
  return (
    <p className="p-6 text-sm text-muted-foreground" aria-live="polite">
      Opening settings…
    </p>
  );
}
