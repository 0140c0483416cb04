"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { X } from "lucide-react";
import { useId } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Badge } from "@/components/ui/badge";
import { NativeSelect } from "@/components/ui/native-select";
import { useTRPC } from "@/lib/trpc";
import type { Customer } from "./customer-profile";

/** The customer's tags: remove one with its ×, add one from the account's tags. */
export function CustomerTags({ customer }: { customer: Customer }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const selectId = useId();
  const allTags = useQuery(trpc.tags.list.queryOptions());
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.customers.get.queryKey({ id: customer.id }) });
  const add = useMutation(trpc.customers.addTag.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.customers.removeTag.mutationOptions({ onSuccess: refresh }));
  const unused = (allTags.data ?? []).filter((t) => !customer.tags.some((c) => c.id === t.id));
  return (
    <div className="grid gap-2">
      <ul className="flex flex-wrap gap-1.5" data-testid="customer-tags">
        {customer.tags.map((tag) => (
          <li key={tag.id}>
            <Badge variant="secondary" className="gap-1">
              {tag.name}
              <button
                type="button"
                aria-label={`Remove tag ${tag.name}`}
                onClick={() => remove.mutate({ customerId: customer.id, tagId: tag.id })}
                className="rounded-sm hover:text-destructive"
              >
                <X className="size-3" aria-hidden />
              </button>
            </Badge>
          </li>
        ))}
        {customer.tags.length === 0 ? (
          <li className="text-sm text-muted-foreground">No tags</li>
        ) : null}
      </ul>
      {unused.length > 0 ? (
        <>
          <label htmlFor={selectId} className="sr-only">
            Add a tag
          </label>
          <NativeSelect
            id={selectId}
            value=""
            disabled={add.isPending}
            onChange={(e) => {
              if (e.target.value) add.mutate({ customerId: customer.id, tagId: e.target.value });
            }}
          >
            <option value="">Add a tag…</option>
            {unused.map((tag) => (
              <option key={tag.id} value={tag.id}>
                {tag.name}
              </option>
            ))}
          </NativeSelect>
        </>
      ) : null}
      <ErrorMessage error={add.error ?? remove.error} />
    </div>
  );
}
