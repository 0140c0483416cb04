"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { UserRound } from "lucide-react";
import { useState } from "react";
import { Field, Section } from "@/components/settings/fields";
import { SaveBar } from "@/components/settings/save-bar";
import { serverFieldErrors } from "@/components/settings/server-field-errors";
import { Input } from "@/components/ui/input";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";

type Profile = RouterOutputs["profile"]["get"];

const formOf = (p: Profile) => ({ name: p.name, avatarUrl: p.avatarUrl ?? "" });

export function ProfileForm({ initial }: { initial: Profile }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(() => formOf(initial));
  const [form, setForm] = useState(saved);
  const dirty = form.name !== saved.name || form.avatarUrl !== saved.avatarUrl;
  const save = useMutation(
    trpc.profile.update.mutationOptions({
      onSuccess: (data) => {
        queryClient.setQueryData(trpc.profile.get.queryKey(), data);
        // The header shows the user's name.
        void queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
        setSaved(formOf(data));
        setForm(formOf(data));
      },
    }),
  );
  const errors = serverFieldErrors(save.error);
  const avatar = /^https?:\/\//i.test(form.avatarUrl.trim()) ? form.avatarUrl.trim() : null;
  const fieldProblems = Object.keys(errors).length;

  return (
    <form
      noValidate
      aria-label="Your profile"
      data-testid="profile-form"
      className="grid gap-6"
      onSubmit={(e) => {
        e.preventDefault();
        if (save.isPending) return;
        save.mutate({ name: form.name, avatarUrl: form.avatarUrl.trim() || null });
      }}
    >
      <Section title="You" description={initial.email}>
        <Field label="Name" name="name" error={errors.name}>
          {(c) => (
            <Input
              {...c}
              value={form.name}
              onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))}
              autoComplete="name"
              required
            />
          )}
        </Field>
        <Field
          label="Avatar URL"
          name="avatarUrl"
          error={errors.avatarUrl}
          hint="A picture of you on the web (http or https). Empty: your initials."
        >
          {(c) => (
            <div className="flex items-center gap-3">
              <span className="flex size-10 shrink-0 items-center justify-center overflow-hidden rounded-full border bg-muted">
                {avatar ? (
                  <img src={avatar} alt="" className="size-full object-cover" />
                ) : (
                  <UserRound className="size-5 text-muted-foreground" aria-hidden />
                )}
              </span>
              <Input
                {...c}
                type="url"
                inputMode="url"
                value={form.avatarUrl}
                onChange={(e) => setForm((f) => ({ ...f, avatarUrl: e.target.value }))}
                placeholder="https://www.example.com/me.jpg"
              />
            </div>
          )}
        </Field>
      </Section>
      <SaveBar
        pending={save.isPending}
        dirty={dirty}
        saved={save.isSuccess}
        failed={save.isError}
        fieldProblems={fieldProblems}
        formError={save.isError && fieldProblems === 0 ? save.error.message : undefined}
        onDiscard={() => {
          setForm(saved);
          save.reset();
        }}
        submitTestId="profile-save"
      />
    </form>
  );
}
