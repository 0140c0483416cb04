"use client";

import { Lock } from "lucide-react";
import { useState } from "react";
import { useMe } from "@/components/auth/auth-gate";
import { type InvitationLink, InvitationLinkNotice } from "./invitation-link";
import { InviteMember } from "./invite-member";
import { Members } from "./members";
import { PendingInvitations } from "./pending-invitations";

/**
 * Settings → Team: everyone sees who is on the team; admins invite, change
 * roles, disable and manage pending invitations (the server refuses the rest).
 */
export function TeamSettingsPage() {
  const me = useMe();
  const isAdmin = me.role === "admin";
  // The last link made (invite or resend): it is emailed, and shown in case the admin passes it on.
  const [link, setLink] = useState<InvitationLink | null>(null);

  return (
    <div className="mx-auto grid max-w-4xl grid-cols-1 gap-6 p-4 sm:p-6">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Team</h1>
        <p className="text-sm text-muted-foreground">
          The people who answer your customers, and what they may change.
        </p>
      </div>

      {isAdmin ? (
        <>
          <InviteMember onInvited={setLink} />
          {link ? <InvitationLinkNotice link={link} onDismiss={() => setLink(null)} /> : null}
        </>
      ) : (
        <p
          className="flex items-center gap-2 rounded-md border bg-muted/60 px-3 py-2 text-sm text-muted-foreground"
          data-testid="read-only-notice"
        >
          <Lock className="size-4 shrink-0" aria-hidden />
          Only admins can invite people and change the team.
        </p>
      )}

      <Members isAdmin={isAdmin} myUserId={me.user.id} />
      {isAdmin ? <PendingInvitations onResent={setLink} /> : null}
    </div>
  );
}
