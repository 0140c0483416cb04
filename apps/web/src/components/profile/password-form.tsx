"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Field, Section } from "@/components/settings/fields";
import { serverFieldErrors } from "@/components/settings/server-field-errors";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";

const MIN_LENGTH = 8;
const EMPTY = { currentPassword: "", newPassword: "", confirm: "" };

/** A new password, after the current one; every other session of the user ends. */
export function PasswordForm() {
  const trpc = useTRPC();
  const [form, setForm] = useState(EMPTY);
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation(
    trpc.profile.changePassword.mutationOptions({ onSuccess: () => setForm(EMPTY) }),
  );
  const errors = serverFieldErrors(change.error);
  const set = (key: keyof typeof EMPTY) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setForm((f) => ({ ...f, [key]: e.target.value }));
    setMismatch(false);
    change.reset();
  };
  const short = form.newPassword.length > 0 && form.newPassword.length < MIN_LENGTH;

  return (
    <Section
      title="Password"
      description="Changing it logs you out on every other device and browser."
    >
      <form
        noValidate
        aria-label="Change your password"
        data-testid="password-form"
        className="grid gap-4 sm:max-w-sm"
        onSubmit={(e) => {
          e.preventDefault();
          if (change.isPending || short) return;
          if (form.newPassword !== form.confirm) {
            setMismatch(true);
            return;
          }
          change.mutate({ currentPassword: form.currentPassword, newPassword: form.newPassword });
        }}
      >
        <Field label="Current password" name="currentPassword" error={errors.currentPassword}>
          {(c) => (
            <Input
              {...c}
              type="password"
              autoComplete="current-password"
              value={form.currentPassword}
              onChange={set("currentPassword")}
            />
          )}
        </Field>
        <Field
          label="New password"
          name="newPassword"
          error={short ? `Use at least ${MIN_LENGTH} characters.` : errors.newPassword}
        >
          {(c) => (
            <Input
              {...c}
              type="password"
              autoComplete="new-password"
              value={form.newPassword}
              onChange={set("newPassword")}
            />
          )}
        </Field>
        <Field
          label="Repeat the new password"
          name="confirm"
          error={mismatch ? "The two new passwords differ." : undefined}
        >
          {(c) => (
            <Input
              {...c}
              type="password"
              autoComplete="new-password"
              value={form.confirm}
              onChange={set("confirm")}
            />
          )}
        </Field>
        <div className="flex flex-wrap items-center gap-3">
          <Button
            type="submit"
            disabled={change.isPending || !form.currentPassword || !form.newPassword}
            data-testid="password-save"
          >
            {change.isPending ? "Changing…" : "Change password"}
          </Button>
          <span role="status" aria-live="polite" className="text-sm" data-testid="password-status">
            {change.isSuccess
              ? `Password changed.${
                  change.data.otherSessionsEnded > 0
                    ? ` ${change.data.otherSessionsEnded} other ${change.data.otherSessionsEnded === 1 ? "session was" : "sessions were"} logged out.`
                    : ""
                }`
              : null}
          </span>
        </div>
        {Object.keys(errors).length > 0 ? null : <ErrorMessage error={change.error} />}
      </form>
    </Section>
  );
}
