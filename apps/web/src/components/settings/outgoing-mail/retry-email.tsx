"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { RotateCw } from "lucide-react";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/lib/trpc";

/** Puts a failed email back in the queue; the lists and the menu's count refresh. */
export function RetryEmail({ id, to }: { id: string; to: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const retry = useMutation(
    trpc.email.retry.mutationOptions({
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.email.outgoing.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.email.outgoingMessage.queryKey({ id }) }),
          queryClient.invalidateQueries({ queryKey: trpc.email.failedCount.queryKey() }),
        ]),
    }),
  );
  return (
    <div className="grid justify-items-start gap-1">
      <Button
        type="button"
        variant="outline"
        size="sm"
        disabled={retry.isPending}
        onClick={() => retry.mutate({ id })}
        data-testid="email-retry"
      >
        <RotateCw aria-hidden />
        {retry.isPending ? "Retrying…" : "Retry"}
        <span className="sr-only"> the email to {to}</span>
      </Button>
      <ErrorMessage error={retry.error} />
    </div>
  );
}
