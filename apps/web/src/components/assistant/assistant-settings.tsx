"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CircleCheck, Lock } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { useMe } from "@/components/auth/auth-gate";
import { ErrorMessage } from "@/components/error-message";
import { Field, Section, Switch } from "@/components/settings/fields";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { useTRPC } from "@/lib/trpc";
import { FaqEditor } from "./faq-editor";
import { InboxSwitches } from "./inbox-switches";
import {
  type AssistantForm,
  type AssistantSettings,
  type FieldErrors,
  fieldErrorsFrom,
  formFromSettings,
  sameForm,
  settingsFromForm,
  validateForm,
} from "./settings-form";
import { AssistantStatusBanner } from "./status-banner";

/** Settings → AI assistant: admins edit, agents read. */
export function AssistantSettingsPage() {
  const me = useMe();
  const isAdmin = me.role === "admin";
  const trpc = useTRPC();
  const settings = useQuery(trpc.assistant.getSettings.queryOptions());
  return (
    <div className="mx-auto grid max-w-3xl grid-cols-1 gap-6 p-4 sm:p-6">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">AI assistant</h1>
        <p className="text-sm text-muted-foreground">
          Answers customers in the chat from what you tell it here and from your knowledge base, and
          hands the conversation to your team when it should.
        </p>
      </div>
      <AssistantStatusBanner />
      {!isAdmin ? (
        <p
          className="flex items-center gap-2 rounded-md border bg-muted/60 px-3 py-2 text-sm text-muted-foreground"
          data-testid="read-only-notice"
        >
          <Lock className="size-4 shrink-0" aria-hidden />
          You can see these settings; only admins can change them.
        </p>
      ) : null}
      {settings.isError ? <ErrorMessage error={settings.error} /> : null}
      {settings.data ? (
        <SettingsEditor initial={settings.data} isAdmin={isAdmin} />
      ) : settings.isPending ? (
        <p className="text-sm text-muted-foreground">Loading the assistant's settings…</p>
      ) : null}
    </div>
  );
}

function SettingsEditor({ initial, isAdmin }: { initial: AssistantSettings; isAdmin: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [saved, setSaved] = useState(() => formFromSettings(initial));
  const [form, setForm] = useState(saved);
  const [errors, setErrors] = useState<FieldErrors>({});
  const dirty = !sameForm(form, saved);

  // After a failed save, the first invalid field takes the focus (once it is marked).
  const [focusErrors, setFocusErrors] = useState(0);
  useEffect(() => {
    if (focusErrors > 0) {
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    }
  }, [focusErrors]);

  const save = useMutation(
    trpc.assistant.updateSettings.mutationOptions({
      onSuccess: (data) => {
        queryClient.setQueryData(trpc.assistant.getSettings.queryKey(), data);
        const next = formFromSettings(data);
        setSaved(next);
        setForm(next);
        setErrors({});
      },
      onError: (error) => {
        setErrors(fieldErrorsFrom(error, form));
        setFocusErrors((n) => n + 1);
      },
    }),
  );

  const set = <K extends keyof AssistantForm>(key: K, value: AssistantForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => (e[key] ? { ...e, [key]: undefined } : e));
  };
  const text = (key: keyof AssistantForm & string) => ({
    name: key,
    value: form[key] as string,
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      set(key, e.target.value as never),
    "data-testid": `assistant-${key}`,
  });

  const onSubmit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!isAdmin || save.isPending) return;
    const problems = validateForm(form);
    if (Object.keys(problems).length > 0) {
      setErrors(problems);
      setFocusErrors((n) => n + 1);
      return;
    }
    save.mutate(settingsFromForm(form));
  };
  const fieldProblems = Object.entries(errors).filter(([k, v]) => k !== "form" && v).length;

  return (
    <form
      ref={formRef}
      onSubmit={onSubmit}
      noValidate
      aria-label="AI assistant settings"
      data-testid="assistant-settings-form"
      className="grid min-w-0 grid-cols-1 gap-6"
    >
      <fieldset disabled={!isAdmin} className="grid min-w-0 gap-6">
        <Section
          title="Assistant"
          description="The account-wide switch and the name it answers under."
        >
          <Switch
            label="Answer customers with the AI assistant"
            hint="Customers can always ask for a person; the assistant stops once your team takes over."
            checked={form.enabled}
            onChange={(v) => set("enabled", v)}
            testId="assistant-enabled"
          />
          <Field
            label="Name"
            name="botName"
            error={errors.botName}
            hint="Shown to customers beside its replies."
          >
            {(c) => <Input {...c} {...text("botName")} />}
          </Field>
        </Section>
      </fieldset>

      <InboxSwitches isAdmin={isAdmin} />

      <fieldset disabled={!isAdmin} className="grid min-w-0 gap-6">
        <Section
          title="Business context"
          description="What the assistant knows about you; it answers from this and your knowledge base only."
        >
          <Field label="Business name" name="businessName" error={errors.businessName}>
            {(c) => <Input {...c} {...text("businessName")} />}
          </Field>
          <Field label="Description" name="description" error={errors.description}>
            {(c) => <Textarea {...c} rows={3} {...text("description")} />}
          </Field>
          <Field label="Services and products" name="services" error={errors.services}>
            {(c) => <Textarea {...c} rows={3} {...text("services")} />}
          </Field>
          <Field
            label="Scheduling link"
            name="schedulingUrl"
            error={errors.schedulingUrl}
            hint="Offered when a customer wants to book a call."
          >
            {(c) => (
              <Input
                {...c}
                type="url"
                placeholder="https://cal.example.com/you"
                {...text("schedulingUrl")}
              />
            )}
          </Field>
          <Field
            label="Extra instructions"
            name="instructions"
            error={errors.instructions}
            hint="Tone, what to avoid, what to always mention."
          >
            {(c) => <Textarea {...c} rows={3} {...text("instructions")} />}
          </Field>
        </Section>

        <Section
          title="Frequently asked questions"
          description="Answers the assistant may give word for word."
        >
          <FaqEditor faqs={form.faqs} errors={errors} onChange={(faqs) => set("faqs", faqs)} />
        </Section>

        <Section title="Model" description="Leave empty to use the server's defaults.">
          <div className="grid gap-5 sm:grid-cols-2">
            <Field label="Model" name="model" error={errors.model}>
              {(c) => <Input {...c} placeholder="gpt-4o-mini" {...text("model")} />}
            </Field>
            <Field
              label="Temperature"
              name="temperature"
              error={errors.temperature}
              hint="0 (precise) to 2 (inventive)."
            >
              {(c) => <Input {...c} inputMode="decimal" {...text("temperature")} />}
            </Field>
          </div>
        </Section>

        <Section
          title="Handoff rules"
          description="When the assistant hands a conversation to your team without being asked."
        >
          <Field
            label="Keywords"
            name="keywords"
            error={errors.keywords}
            hint="One per line; a customer message containing one goes to your team at once."
          >
            {(c) => (
              <Textarea
                {...c}
                rows={3}
                placeholder={"refund\ncancel my account"}
                {...text("keywords")}
              />
            )}
          </Field>
          <Field
            label="After this many assistant replies"
            name="afterBotReplies"
            error={errors.afterBotReplies}
            hint="Empty: no limit."
          >
            {(c) => (
              <Input {...c} inputMode="numeric" className="max-w-32" {...text("afterBotReplies")} />
            )}
          </Field>
          <Switch
            label="Outside working hours, hand off and ask for the customer's email"
            checked={form.outsideHoursCollectEmail}
            onChange={(v) => set("outsideHoursCollectEmail", v)}
            testId="assistant-outsideHoursCollectEmail"
          />
        </Section>
      </fieldset>

      {isAdmin ? (
        <div className="sticky bottom-0 z-10 -mx-1 flex flex-wrap items-center gap-3 border-t bg-background/95 px-1 py-3 backdrop-blur">
          <Button
            type="submit"
            aria-disabled={save.isPending}
            data-testid="assistant-settings-save"
          >
            {save.isPending ? "Saving…" : "Save changes"}
          </Button>
          <Button
            type="button"
            variant="ghost"
            disabled={!dirty || save.isPending}
            onClick={() => {
              setForm(saved);
              setErrors({});
              save.reset();
            }}
          >
            Discard
          </Button>
          <div role="status" aria-live="polite" className="text-sm" data-testid="save-status">
            {save.isPending ? null : fieldProblems > 0 ? (
              <span className="text-destructive">
                Not saved: {fieldProblems === 1 ? "a field needs" : `${fieldProblems} fields need`}{" "}
                fixing.
              </span>
            ) : save.isError ? (
              <span className="text-destructive">Not saved.</span>
            ) : dirty ? (
              <span className="text-muted-foreground">Unsaved changes</span>
            ) : save.isSuccess ? (
              <span className="flex items-center gap-1.5 text-success-foreground">
                <CircleCheck className="size-4" aria-hidden />
                Saved
              </span>
            ) : null}
          </div>
          {save.isError && (errors.form || fieldProblems === 0) ? (
            <ErrorMessage
              error={{ message: errors.form ?? save.error.message }}
              className="basis-full"
              testId="save-error"
            />
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
