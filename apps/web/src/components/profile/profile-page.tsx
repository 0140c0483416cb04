"use client";

import { useQuery } from "@tanstack/react-query";
import { ErrorMessage } from "@/components/error-message";
import { SettingsPage } from "@/components/settings/settings-page";
import { useTRPC } from "@/lib/trpc";
import { PasswordForm } from "./password-form";
import { ProfileForm } from "./profile-form";

/** Settings → Profile (everyone): one's own name, avatar and password. */
export function ProfilePage() {
  const trpc = useTRPC();
  const profile = useQuery(trpc.profile.get.queryOptions());
  return (
    <SettingsPage title="Profile" description="How your teammates and customers see you.">
      {profile.isPending ? (
        <p className="text-sm text-muted-foreground" aria-live="polite">
          Loading your profile…
        </p>
      ) : profile.isError ? (
        <ErrorMessage error={profile.error} />
      ) : (
        <ProfileForm initial={profile.data} />
      )}
      <PasswordForm />
    </SettingsPage>
  );
}
