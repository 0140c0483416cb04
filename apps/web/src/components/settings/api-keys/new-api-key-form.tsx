"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { Field } from "../fields";

export type ApiKeyScope = "read" | "write" | "admin";
export type ApiKeyDraft = { label: string; scopes: ApiKeyScope[]; expiresAt: string | null };

const SCOPES: { value: ApiKeyScope; label: string; hint: string; adminOnly?: boolean }[] = [
  { value: "read", label: "Read", hint: "conversations, messages, customers, tags, live events" },
  { value: "write", label: "Write", hint: "reply, leave notes, tag, update customers" },
  {
    value: "admin",
    label: "Admin",
    hint: "delete tags and companies, merge customers, invite",
    adminOnly: true,
  },
];

const EXPIRIES = [
  { value: "never", label: "Never", days: null },
  { value: "30", label: "In 30 days", days: 30 },
  { value: "90", label: "In 90 days", days: 90 },
  { value: "365", label: "In a year", days: 365 },
] as const;

/** A new key's label, scopes and expiry. */
export function NewApiKeyForm({
  isAdmin,
  pending,
  errors,
  onSubmit,
}: {
  isAdmin: boolean;
  pending: boolean;
  /** The server's errors by field. */
  errors: Record<string, string>;
  onSubmit: (draft: ApiKeyDraft) => void;
}) {
  const [label, setLabel] = useState("");
  const [scopes, setScopes] = useState<ApiKeyScope[]>(["read"]);
  const [expiry, setExpiry] = useState<(typeof EXPIRIES)[number]["value"]>("never");
  const complete = label.trim() !== "" && scopes.length > 0;
  const toggle = (scope: ApiKeyScope, on: boolean) =>
    setScopes((current) => (on ? [...current, scope] : current.filter((s) => s !== scope)));
  return (
    <form
      className="grid gap-4"
      data-testid="new-api-key-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (pending || !complete) return;
        const days = EXPIRIES.find((x) => x.value === expiry)?.days ?? null;
        onSubmit({
          label: label.trim(),
          scopes,
          expiresAt: days === null ? null : new Date(Date.now() + days * 86_400_000).toISOString(),
        });
      }}
    >
      <Field
        label="Label"
        name="label"
        error={errors.label}
        hint="What uses the key, e.g. “CRM sync”."
        className="sm:max-w-96"
      >
        {(c) => (
          <Input
            {...c}
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            autoComplete="off"
          />
        )}
      </Field>
      <fieldset className="grid gap-2">
        <legend className="mb-2 text-sm font-medium leading-none">Scopes</legend>
        {SCOPES.filter((s) => isAdmin || !s.adminOnly).map((scope) => (
          <label key={scope.value} className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              className="mt-0.5"
              name="scope"
              value={scope.value}
              checked={scopes.includes(scope.value)}
              onChange={(e) => toggle(scope.value, e.target.checked)}
            />
            <span>
              <span className="font-medium">{scope.label}</span>
              <span className="text-muted-foreground">: {scope.hint}</span>
            </span>
          </label>
        ))}
        {errors.scopes ? <p className="text-sm text-destructive">{errors.scopes}</p> : null}
      </fieldset>
      <Field label="Expires" name="expiresAt" error={errors.expiresAt} className="sm:max-w-64">
        {(c) => (
          <NativeSelect
            {...c}
            value={expiry}
            onChange={(e) => setExpiry(e.target.value as typeof expiry)}
          >
            {EXPIRIES.map((x) => (
              <option key={x.value} value={x.value}>
                {x.label}
              </option>
            ))}
          </NativeSelect>
        )}
      </Field>
      <div>
        <Button type="submit" disabled={pending || !complete}>
          {pending ? "Creating…" : "Create key"}
        </Button>
      </div>
    </form>
  );
}
