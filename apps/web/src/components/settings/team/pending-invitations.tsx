"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ErrorMessage } from "@/components/error-message";
import { Section } from "@/components/settings/fields";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import type { InvitationLink } from "./invitation-link";
import { roleLabel } from "./roles";

type Invitation = RouterOutputs["team"]["listInvitations"][number];

/** Invitations nobody has accepted yet: a new link (resend) or revoke. Admins only. */
export function PendingInvitations({ onResent }: { onResent: (link: InvitationLink) => void }) {
  const trpc = useTRPC();
  const invitations = useQuery(trpc.team.listInvitations.queryOptions());

  return (
    <Section title="Pending invitations" description="Each link works once, for 7 days.">
      {invitations.isPending ? (
        <p className="text-sm text-muted-foreground" aria-live="polite">
          Loading invitations…
        </p>
      ) : invitations.isError ? (
        <ErrorMessage error={invitations.error} />
      ) : invitations.data.length === 0 ? (
        <p className="text-sm text-muted-foreground" data-testid="invitations-empty">
          No pending invitations.
        </p>
      ) : (
        <ul className="-my-3 divide-y" data-testid="invitations">
          {invitations.data.map((invitation) => (
            <InvitationRow key={invitation.id} invitation={invitation} onResent={onResent} />
          ))}
        </ul>
      )}
    </Section>
  );
}

function InvitationRow({
  invitation,
  onResent,
}: {
  invitation: Invitation;
  onResent: (link: InvitationLink) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.team.listInvitations.queryKey() });
  const resend = useMutation(
    trpc.team.resendInvitation.mutationOptions({
      onSuccess: ({ url }) => onResent({ email: invitation.email, url, resent: true }),
      onSettled: refresh,
    }),
  );
  const revoke = useMutation(trpc.team.revokeInvitation.mutationOptions({ onSettled: refresh }));
  const busy = resend.isPending || revoke.isPending;
  const expires = new Date(invitation.expiresAt).toLocaleDateString(undefined, {
    month: "short",
    day: "numeric",
  });

  return (
    <li
      className="grid gap-2 py-3 sm:grid-cols-[1fr_auto] sm:items-center"
      data-testid="invitation-row"
      data-email={invitation.email}
    >
      <div className="flex min-w-0 flex-wrap items-center gap-x-3 gap-y-1">
        <p className="truncate text-sm font-medium">{invitation.email}</p>
        <Badge variant="outline">{roleLabel(invitation.role)}</Badge>
        <span className="text-xs text-muted-foreground">expires {expires}</span>
      </div>
      <div className="flex gap-2">
        <Button
          type="button"
          variant="outline"
          size="sm"
          disabled={busy}
          onClick={() => resend.mutate({ id: invitation.id })}
          data-testid="invitation-resend"
        >
          New link<span className="sr-only"> for {invitation.email}</span>
        </Button>
        <Button
          type="button"
          variant="outline"
          size="sm"
          disabled={busy}
          onClick={() => revoke.mutate({ id: invitation.id })}
          data-testid="invitation-revoke"
        >
          Revoke<span className="sr-only"> the invitation of {invitation.email}</span>
        </Button>
      </div>
      <ErrorMessage error={resend.error ?? revoke.error} className="sm:col-span-2" />
    </li>
  );
}
