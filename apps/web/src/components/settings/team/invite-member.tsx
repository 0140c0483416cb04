"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { UserPlus } from "lucide-react";
import { useId, useRef } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Section } from "@/components/settings/fields";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { useTRPC } from "@/lib/trpc";
import type { InvitationLink } from "./invitation-link";
import { ROLES, type Role } from "./roles";

/** Admins invite by email with a role; the link comes back to be passed on. */
export function InviteMember({ onInvited }: { onInvited: (link: InvitationLink) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useRef<HTMLFormElement>(null);
  const emailId = useId();
  const roleId = useId();
  const invite = useMutation(
    trpc.team.invite.mutationOptions({
      onSuccess: ({ invitation, url }) => {
        form.current?.reset();
        onInvited({ email: invitation.email, url, resent: false });
        void queryClient.invalidateQueries({ queryKey: trpc.team.listInvitations.queryKey() });
      },
    }),
  );

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    invite.mutate({
      email: String(data.get("email") ?? "").trim(),
      role: String(data.get("role")) as Role,
    });
  }

  return (
    <Section title="Invite a teammate" description="They choose their own name and password.">
      <form
        ref={form}
        onSubmit={onSubmit}
        className="grid gap-4 sm:grid-cols-[1fr_auto_auto] sm:items-end"
        data-testid="invite-form"
      >
        <div className="grid gap-2">
          <Label htmlFor={emailId}>Email</Label>
          <Input id={emailId} name="email" type="email" autoComplete="off" required />
        </div>
        <div className="grid gap-2">
          <Label htmlFor={roleId}>Role</Label>
          <NativeSelect id={roleId} name="role" defaultValue="agent">
            {ROLES.map((role) => (
              <option key={role.value} value={role.value}>
                {role.label}
              </option>
            ))}
          </NativeSelect>
        </div>
        <Button type="submit" disabled={invite.isPending} data-testid="invite-submit">
          <UserPlus aria-hidden />
          {invite.isPending ? "Inviting…" : "Invite"}
        </Button>
        <ErrorMessage error={invite.error} testId="invite-error" className="sm:col-span-3" />
      </form>
    </Section>
  );
}
