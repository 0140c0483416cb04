"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";

export type Customer = RouterOutputs["customers"]["get"];

const FIELDS = [
  { key: "name", label: "Name", type: "text" },
  { key: "email", label: "Email", type: "email" },
  { key: "phone", label: "Phone", type: "tel" },
] as const;

/** Name, email and phone, shown as text and edited in place. */
export function CustomerProfile({ customer }: { customer: Customer }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const formId = useId();
  const update = useMutation(
    trpc.customers.update.mutationOptions({
      onSuccess: () => {
        setEditing(false);
        void queryClient.invalidateQueries({ queryKey: trpc.customers.pathKey() });
      },
    }),
  );

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const value = (key: string) => String(data.get(key) ?? "").trim() || null;
    update.mutate({
      id: customer.id,
      name: value("name"),
      email: value("email"),
      phone: value("phone"),
    });
  }

  if (!editing) {
    return (
      <div className="grid gap-2">
        <dl className="grid grid-cols-[5rem_1fr] gap-x-2 gap-y-1 text-sm">
          {FIELDS.map((f) => (
            <div key={f.key} className="contents">
              <dt className="text-muted-foreground">{f.label}</dt>
              <dd className="truncate" data-testid={`customer-${f.key}`}>
                {customer[f.key] ?? <span className="text-muted-foreground">—</span>}
              </dd>
            </div>
          ))}
        </dl>
        <Button
          variant="outline"
          size="sm"
          className="justify-self-start"
          onClick={() => setEditing(true)}
          data-testid="customer-edit"
        >
          Edit
        </Button>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} className="grid gap-3" data-testid="customer-form">
      {FIELDS.map((f) => (
        <div key={f.key} className="grid gap-1.5">
          <Label htmlFor={`${formId}-${f.key}`}>{f.label}</Label>
          <Input
            id={`${formId}-${f.key}`}
            name={f.key}
            type={f.type}
            defaultValue={customer[f.key] ?? ""}
          />
        </div>
      ))}
      <ErrorMessage error={update.error} />
      <div className="flex gap-2">
        <Button type="submit" size="sm" disabled={update.isPending} data-testid="customer-save">
          {update.isPending ? "Saving…" : "Save"}
        </Button>
        <Button type="button" variant="ghost" size="sm" onClick={() => setEditing(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
