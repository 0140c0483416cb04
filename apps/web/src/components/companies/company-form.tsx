"use client";

import { useId } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

export type CompanyFields = { name: string; website: string | null };

/** Name and website, for creating a company or editing one. */
export function CompanyForm({
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
  formRef,
}: {
  initial?: CompanyFields;
  submitLabel: string;
  pending: boolean;
  error: { message: string } | null;
  onSubmit: (fields: CompanyFields) => void;
  onCancel?: () => void;
  formRef?: React.Ref<HTMLFormElement>;
}) {
  const id = useId();
  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    onSubmit({
      name: String(data.get("name") ?? "").trim(),
      website: String(data.get("website") ?? "").trim() || null,
    });
  }
  return (
    <form
      ref={formRef}
      onSubmit={submit}
      className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
      data-testid="company-form"
    >
      <div className="grid gap-1.5">
        <Label htmlFor={`${id}-name`}>Name</Label>
        <Input
          id={`${id}-name`}
          name="name"
          required
          maxLength={100}
          defaultValue={initial?.name}
        />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor={`${id}-website`}>Website</Label>
        <Input
          id={`${id}-website`}
          name="website"
          placeholder="acme.com"
          maxLength={300}
          defaultValue={initial?.website ?? ""}
        />
      </div>
      <div className="flex gap-2">
        <Button type="submit" disabled={pending} data-testid="company-submit">
          {pending ? "Saving…" : submitLabel}
        </Button>
        {onCancel ? (
          <Button type="button" variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
      <ErrorMessage error={error} className="sm:col-span-3" />
    </form>
  );
}
