"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ErrorMessage } from "@/components/error-message";
import { Section, Switch } from "@/components/settings/fields";
import { useTRPC } from "@/lib/trpc";

/** One switch per inbox, saved as it is flipped (the account's switch must be on too). */
export function InboxSwitches({ isAdmin }: { isAdmin: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const inboxes = useQuery(trpc.assistant.listInboxes.queryOptions());
  const setEnabled = useMutation(
    trpc.assistant.setInboxEnabled.mutationOptions({
      onSuccess: () =>
        queryClient.invalidateQueries({ queryKey: trpc.assistant.listInboxes.queryKey() }),
    }),
  );
  return (
    <Section
      title="Inboxes"
      description="Where the assistant answers. It also needs the switch above to be on."
    >
      {inboxes.isError ? <ErrorMessage error={inboxes.error} /> : null}
      {inboxes.data?.map((inbox) => (
        <Switch
          key={inbox.inboxId}
          label={inbox.name}
          checked={
            setEnabled.isPending && setEnabled.variables?.inboxId === inbox.inboxId
              ? setEnabled.variables.enabled
              : inbox.assistantEnabled
          }
          disabled={!isAdmin || setEnabled.isPending}
          onChange={(enabled) => setEnabled.mutate({ inboxId: inbox.inboxId, enabled })}
          testId={`inbox-assistant-${inbox.inboxId}`}
        />
      ))}
      <ErrorMessage error={setEnabled.error} testId="inbox-switch-error" />
    </Section>
  );
}
