"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useMe } from "@/components/auth/auth-gate";

/** /settings opens a page the user may use: the chat widget for admins, the profile for agents. */
export function SettingsHome() {
  const isAdmin = useMe().role === "admin";
  const router = useRouter();
  useEffect(() => {
    router.replace(isAdmin ? "/settings/widget" : "/settings/profile");
  }, [isAdmin, router]);
  return (
    <p className="p-6 text-sm text-muted-foreground" aria-live="polite">
      Opening settings…
    </p>
  );
}
