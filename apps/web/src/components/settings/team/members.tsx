"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ErrorMessage } from "@/components/error-message";
import { Section } from "@/components/settings/fields";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { NativeSelect } from "@/components/ui/native-select";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { ROLES, type Role, roleLabel } from "./roles";

type Member = RouterOutputs["team"]["list"][number];

/** Everyone on the team with role and status; admins change roles and disable or enable. */
export function Members({ isAdmin, myUserId }: { isAdmin: boolean; myUserId: string }) {
  const trpc = useTRPC();
  const members = useQuery(trpc.team.list.queryOptions());
  const count = members.data?.length;

  return (
    <Section
      title="Members"
      description={
        count === undefined ? undefined : `${count} ${count === 1 ? "person" : "people"}`
      }
    >
      {members.isPending ? (
        <p className="text-sm text-muted-foreground" aria-live="polite">
          Loading the team…
        </p>
      ) : members.isError ? (
        <ErrorMessage error={members.error} />
      ) : (
        <ul className="-my-3 divide-y" data-testid="members">
          {members.data.map((member) => (
            <MemberRow
              key={member.userId}
              member={member}
              isAdmin={isAdmin}
              isMe={member.userId === myUserId}
            />
          ))}
        </ul>
      )}
    </Section>
  );
}

function MemberRow({ member, isAdmin, isMe }: { member: Member; isAdmin: boolean; isMe: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.team.list.queryKey() });
    // A change to one's own role changes what this dashboard may show.
    if (isMe) void queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
  };
  const updateRole = useMutation(trpc.team.updateRole.mutationOptions({ onSettled: refresh }));
  const setDisabled = useMutation(trpc.team.setDisabled.mutationOptions({ onSettled: refresh }));
  const disabled = member.disabledAt !== null;
  const busy = updateRole.isPending || setDisabled.isPending;

  return (
    <li
      className="grid gap-2 py-3 sm:grid-cols-[1fr_auto] sm:items-center"
      data-testid="member-row"
      data-email={member.email}
    >
      <div className="flex min-w-0 flex-wrap items-center gap-x-3 gap-y-1">
        <div className="min-w-0">
          <p className="truncate text-sm font-medium">
            {member.name}
            {isMe ? <span className="font-normal text-muted-foreground"> (you)</span> : null}
          </p>
          <p className="truncate text-sm text-muted-foreground">{member.email}</p>
        </div>
        <Badge variant={disabled ? "secondary" : "success"} data-testid="member-status">
          {disabled ? "Disabled" : "Active"}
        </Badge>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        {isAdmin ? (
          <>
            <NativeSelect
              aria-label={`Role of ${member.name}`}
              value={member.role}
              disabled={busy}
              onChange={(e) =>
                updateRole.mutate({ userId: member.userId, role: e.target.value as Role })
              }
              className="h-8 w-28"
              data-testid="member-role"
            >
              {ROLES.map((role) => (
                <option key={role.value} value={role.value}>
                  {role.label}
                </option>
              ))}
            </NativeSelect>
            {isMe ? null : (
              <Button
                type="button"
                variant="outline"
                size="sm"
                disabled={busy}
                onClick={() => setDisabled.mutate({ userId: member.userId, disabled: !disabled })}
                data-testid="member-toggle-disabled"
              >
                {disabled ? "Enable" : "Disable"}
                <span className="sr-only"> {member.name}</span>
              </Button>
            )}
          </>
        ) : (
          <Badge variant="outline" data-testid="member-role-label">
            {roleLabel(member.role)}
          </Badge>
        )}
      </div>
      <ErrorMessage error={updateRole.error ?? setDisabled.error} className="sm:col-span-2" />
    </li>
  );
}
