"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { Field, Section } from "../fields";
import { SaveBar } from "../save-bar";
import { serverFieldErrors } from "../server-field-errors";
import { SettingsPage } from "../settings-page";
import { timeZoneChoices } from "./time-zones";
import { type DayRow, hoursFromRows, rowsFromHours } from "./working-hours";
import { WorkingHoursFields } from "./working-hours-fields";

type Account = RouterOutputs["account"]["get"];

/** The server's limit (routers/account.ts), so the counter can say so before saving. */
const AWAY_MESSAGE_MAX = 1000;

type AccountForm = {
  companyName: string;
  logoUrl: string;
  timeZone: string;
  hours: DayRow[];
  awayMessage: string;
  emailSenderName: string;
  /** Whether customers are emailed agents' replies they have not seen. */
  customerEmailOn: boolean;
  customerEmailAfterMinutes: string;
};

const formOf = (account: Account): AccountForm => ({
  companyName: account.companyName,
  logoUrl: account.logoUrl ?? "",
  timeZone: account.timeZone,
  hours: rowsFromHours(account.workingHours),
  awayMessage: account.awayMessage ?? "",
  emailSenderName: account.emailSenderName ?? "",
  customerEmailOn: account.customerEmailAfterMinutes !== null,
  customerEmailAfterMinutes: String(account.customerEmailAfterMinutes ?? 10),
});

/** The delay in minutes (1 to 1440, as the server accepts), or null when it is not one. */
function minutesOf(text: string): number | null {
  const minutes = Number(text.trim());
  return Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440 ? minutes : null;
}

/**
 * Settings → Account (admins): the company, its time zone and hours, the away
 * message, and how its emails look (sender name, replies emailed to customers).
 */
export function AccountSettingsPage() {
  const trpc = useTRPC();
  const account = useQuery(trpc.account.get.queryOptions());
  return (
    <SettingsPage
      title="Account"
      description="Your company as customers see it, and when your team is available."
    >
      {account.isPending ? (
        <p className="text-sm text-muted-foreground" aria-live="polite">
          Loading the account…
        </p>
      ) : account.isError ? (
        <ErrorMessage error={account.error} />
      ) : (
        <AccountEditor initial={account.data} />
      )}
    </SettingsPage>
  );
}

function AccountEditor({ initial }: { initial: Account }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(() => formOf(initial));
  const [form, setForm] = useState(saved);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [hourErrors, setHourErrors] = useState<Record<number, string>>({});
  const zones = useMemo(() => timeZoneChoices(initial.timeZone), [initial.timeZone]);
  const dirty = JSON.stringify(form) !== JSON.stringify(saved);

  const save = useMutation(
    trpc.account.update.mutationOptions({
      onSuccess: (data) => {
        queryClient.setQueryData(trpc.account.get.queryKey(), data);
        // The header shows the company's name.
        void queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
        const next = formOf(data);
        setSaved(next);
        setForm(next);
        setErrors({});
      },
      onError: (error) => setErrors(serverFieldErrors(error)),
    }),
  );

  const set = <K extends keyof AccountForm>(key: K, value: AccountForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors(({ [key]: _, ...rest }) => rest);
  };

  const onSubmit = (e: React.FormEvent) => {
    e.preventDefault();
    if (save.isPending) return;
    const hours = hoursFromRows(form.hours);
    setHourErrors(hours.errors ?? {});
    const minutes = minutesOf(form.customerEmailAfterMinutes);
    if (form.customerEmailOn && minutes === null) {
      setErrors((e) => ({
        ...e,
        customerEmailAfterMinutes: "Enter a whole number of minutes from 1 to 1440",
      }));
      return;
    }
    if (!hours.hours) return;
    save.mutate({
      companyName: form.companyName,
      logoUrl: form.logoUrl.trim() || null,
      timeZone: form.timeZone,
      workingHours: hours.hours,
      awayMessage: form.awayMessage,
      emailSenderName: form.emailSenderName,
      customerEmailAfterMinutes: form.customerEmailOn ? minutes : null,
    });
  };

  const logo = /^https?:\/\//i.test(form.logoUrl.trim()) ? form.logoUrl.trim() : null;
  const fieldProblems = Object.keys(errors).length + Object.keys(hourErrors).length;

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-label="Account settings"
      data-testid="account-form"
      className="grid gap-6"
    >
      <Section title="Company">
        <Field label="Company name" name="companyName" error={errors.companyName}>
          {(c) => (
            <Input
              {...c}
              value={form.companyName}
              onChange={(e) => set("companyName", e.target.value)}
              autoComplete="organization"
              required
            />
          )}
        </Field>
        <Field
          label="Logo URL"
          name="logoUrl"
          error={errors.logoUrl}
          hint="An image on the web (http or https), square works best. Empty: no logo."
        >
          {(c) => (
            <div className="flex items-center gap-3">
              <span className="flex size-10 shrink-0 items-center justify-center overflow-hidden rounded-md border bg-muted">
                {logo ? <img src={logo} alt="" className="size-full object-contain" /> : null}
              </span>
              <Input
                {...c}
                type="url"
                inputMode="url"
                value={form.logoUrl}
                onChange={(e) => set("logoUrl", e.target.value)}
                placeholder="https://www.example.com/logo.png"
              />
            </div>
          )}
        </Field>
      </Section>

      <Section
        title="Availability"
        description="Outside these hours, visitors of your chat widget see the away message."
      >
        <Field label="Time zone" name="timeZone" error={errors.timeZone} className="sm:max-w-80">
          {(c) => (
            <NativeSelect
              {...c}
              value={form.timeZone}
              onChange={(e) => set("timeZone", e.target.value)}
            >
              {zones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone.replaceAll("_", " ")}
                </option>
              ))}
            </NativeSelect>
          )}
        </Field>
        <WorkingHoursFields
          rows={form.hours}
          errors={hourErrors}
          onChange={(hours) => {
            set("hours", hours);
            setHourErrors({});
          }}
        />
        <Field
          label="Away message"
          name="awayMessage"
          error={errors.awayMessage}
          hint={`Shown in the chat outside working hours. Markdown. ${form.awayMessage.trim().length}/${AWAY_MESSAGE_MAX} characters.`}
        >
          {(c) => (
            <Textarea
              {...c}
              rows={3}
              value={form.awayMessage}
              onChange={(e) => set("awayMessage", e.target.value)}
              placeholder="We're out of the office. Leave a message and we'll reply when we're back."
            />
          )}
        </Field>
      </Section>

      <Section
        title="Email"
        description="How the emails Netia sends for your team look to the people who get them."
      >
        <Field
          label="Sender name"
          name="emailSenderName"
          error={errors.emailSenderName}
          hint={`The name your emails come from. Empty: your company name (${form.companyName || "…"}). The address is set by whoever runs Netia (SMTP_FROM).`}
          className="sm:max-w-96"
        >
          {(c) => (
            <Input
              {...c}
              value={form.emailSenderName}
              onChange={(e) => set("emailSenderName", e.target.value)}
              placeholder={form.companyName}
              maxLength={100}
            />
          )}
        </Field>
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            className="mt-0.5 size-4"
            checked={form.customerEmailOn}
            onChange={(e) => {
              set("customerEmailOn", e.target.checked);
              setErrors(({ customerEmailAfterMinutes: _, ...rest }) => rest);
            }}
            data-testid="customer-email-on"
          />
          <span>
            Email customers the replies they have not seen
            <span className="block text-muted-foreground">
              When a customer with an email address has left the chat, your team's replies follow
              them by email.
            </span>
          </span>
        </label>
        {form.customerEmailOn ? (
          <Field
            label="After (minutes)"
            name="customerEmailAfterMinutes"
            error={errors.customerEmailAfterMinutes}
            hint="How long an unseen reply waits before it is emailed: 1 to 1440 minutes."
            className="sm:max-w-48"
          >
            {(c) => (
              <Input
                {...c}
                type="number"
                inputMode="numeric"
                min={1}
                max={1440}
                step={1}
                value={form.customerEmailAfterMinutes}
                onChange={(e) => set("customerEmailAfterMinutes", e.target.value)}
              />
            )}
          </Field>
        ) : null}
      </Section>

      <SaveBar
        pending={save.isPending}
        dirty={dirty}
        saved={save.isSuccess}
        failed={save.isError || Object.keys(hourErrors).length > 0}
        fieldProblems={fieldProblems}
        formError={save.isError && fieldProblems === 0 ? save.error.message : undefined}
        onDiscard={() => {
          setForm(saved);
          setErrors({});
          setHourErrors({});
          save.reset();
        }}
        submitTestId="account-save"
      />
    </form>
  );
}
