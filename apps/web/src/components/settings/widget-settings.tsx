"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CircleCheck, Lock, MessageCircle } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useMe } from "@/components/auth/auth-gate";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { Choice, Field, Section, Switch } from "./fields";
import { IdentityVerification } from "./identity-verification";
import { InstallSnippets } from "./install-snippets";
import {
  type FieldErrors,
  fieldErrorsFrom,
  formFromSettings,
  normalizeColor,
  previewOptions,
  settingsFromForm,
  validateForm,
  WIDGET_DEFAULTS,
  type WidgetForm,
  type WidgetSettings,
} from "./widget-form";
import { PreviewControls, type PreviewScene, WidgetPreview } from "./widget-preview";

type Inbox = RouterOutputs["inboxes"]["list"][number];

/** The "Chat widget" settings: pick an inbox, edit its widget, preview it, install it. */
export function WidgetSettingsPage() {
  const me = useMe();
  const isAdmin = me.role === "admin";
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const inboxes = useQuery(trpc.inboxes.list.queryOptions());
  const dirty = useRef(false);
  const pickerId = useId();

  const requested = searchParams.get("inbox");
  const list = inboxes.data ?? [];
  const inbox =
    list.find((i) => i.id === requested) ?? list.find((i) => i.isDefault) ?? list[0] ?? null;

  const pick = (id: string) => {
    if (dirty.current && !window.confirm("Discard your unsaved changes to this inbox's widget?")) {
      return;
    }
    dirty.current = false;
    router.replace(`${pathname}?inbox=${encodeURIComponent(id)}`);
  };

  return (
    <div className="mx-auto grid max-w-6xl grid-cols-1 gap-6 p-4 sm:p-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="grid gap-1">
          <h1 className="text-2xl font-semibold tracking-tight">Chat widget</h1>
          <p className="text-sm text-muted-foreground">
            How the chat looks and behaves on your website, for each inbox.
          </p>
        </div>
        {list.length > 0 && inbox ? (
          <div className="grid gap-1.5">
            <label htmlFor={pickerId} className="text-sm font-medium">
              Inbox
            </label>
            <select
              id={pickerId}
              value={inbox.id}
              onChange={(e) => pick(e.target.value)}
              data-testid="inbox-picker"
              className="h-9 min-w-48 rounded-md border border-input bg-background px-3 text-sm shadow-xs outline-none focus-visible:border-ring focus-visible:ring-2 focus-visible:ring-ring/30"
            >
              {list.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name}
                  {i.isDefault ? " (default)" : ""}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>

      {!isAdmin ? (
        <p
          className="flex items-center gap-2 rounded-md border bg-muted/60 px-3 py-2 text-sm text-muted-foreground"
          data-testid="read-only-notice"
        >
          <Lock className="size-4 shrink-0" aria-hidden />
          You can see these settings; only admins can change them.
        </p>
      ) : null}

      {inboxes.isError ? <ErrorMessage error={inboxes.error} /> : null}
      {inboxes.isPending ? <p className="text-sm text-muted-foreground">Loading inboxes…</p> : null}
      {inbox ? (
        <InboxWidget
          key={inbox.id}
          inbox={inbox}
          accountId={me.account.id}
          isAdmin={isAdmin}
          onDirtyChange={(value) => {
            dirty.current = value;
          }}
        />
      ) : null}
    </div>
  );
}

function InboxWidget({
  inbox,
  accountId,
  isAdmin,
  onDirtyChange,
}: {
  inbox: Inbox;
  accountId: string;
  isAdmin: boolean;
  onDirtyChange: (dirty: boolean) => void;
}) {
  const trpc = useTRPC();
  const settings = useQuery(trpc.inboxes.getWidgetSettings.queryOptions({ inboxId: inbox.id }));
  const origin = typeof window === "undefined" ? "" : window.location.origin;

  return (
    <>
      {settings.isError ? <ErrorMessage error={settings.error} /> : null}
      {settings.data ? (
        <WidgetEditor
          inboxId={inbox.id}
          initial={settings.data}
          isAdmin={isAdmin}
          onDirtyChange={onDirtyChange}
        />
      ) : settings.isPending ? (
        <p className="text-sm text-muted-foreground" aria-live="polite">
          Loading the widget's settings…
        </p>
      ) : null}
      <div className="grid grid-cols-1 gap-6 lg:max-w-[calc(100%-432px)]">
        <InstallSnippets origin={origin} accountId={accountId} inboxId={inbox.id} />
        <IdentityVerification inbox={inbox} accountId={accountId} isAdmin={isAdmin} />
      </div>
    </>
  );
}

const HEX = /^#[0-9a-f]{6}$/;

function WidgetEditor({
  inboxId,
  initial,
  isAdmin,
  onDirtyChange,
}: {
  inboxId: string;
  initial: WidgetSettings;
  isAdmin: boolean;
  onDirtyChange: (dirty: boolean) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [saved, setSaved] = useState(() => formFromSettings(initial));
  const [form, setForm] = useState(saved);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [scene, setScene] = useState<PreviewScene>({ conversation: true, agentsOnline: true });
  const dirty = JSON.stringify(form) !== JSON.stringify(saved);
  onDirtyChange(dirty);

  // After a failed save, the first invalid field takes the focus (once it is marked).
  const [focusErrors, setFocusErrors] = useState(0);
  const focusFirstError = () => setFocusErrors((n) => n + 1);
  useEffect(() => {
    if (focusErrors > 0) {
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    }
  }, [focusErrors]);

  const save = useMutation(
    trpc.inboxes.updateWidgetSettings.mutationOptions({
      onSuccess: (data) => {
        queryClient.setQueryData(trpc.inboxes.getWidgetSettings.queryKey({ inboxId }), data);
        const next = formFromSettings(data);
        setSaved(next);
        setForm(next);
        setErrors({});
      },
      onError: (error) => {
        setErrors(fieldErrorsFrom(error));
        focusFirstError();
      },
    }),
  );

  const set = <K extends keyof WidgetForm>(key: K, value: WidgetForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => (e[key] ? { ...e, [key]: undefined } : e));
  };
  const text = (key: keyof WidgetForm & string) => ({
    name: key,
    value: form[key] as string,
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      set(key, e.target.value as never),
  });

  const onSubmit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!isAdmin || save.isPending) return;
    const problems = validateForm(form);
    if (Object.keys(problems).length > 0) {
      setErrors(problems);
      focusFirstError();
      return;
    }
    save.mutate({ inboxId, settings: settingsFromForm(form) });
  };

  const preview = useMemo(() => previewOptions(form), [form]);
  const color = normalizeColor(form.primaryColor);
  const fieldProblems = Object.entries(errors).filter(([k, v]) => k !== "form" && v).length;
  const iconCleared = !form.customIconUrl.trim() && !!saved.customIconUrl;

  return (
    <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-[minmax(0,1fr)_408px]">
      <form
        ref={formRef}
        onSubmit={onSubmit}
        noValidate
        aria-label="Chat widget settings"
        data-testid="widget-settings-form"
        className="grid min-w-0 grid-cols-1 gap-6"
      >
        <fieldset disabled={!isAdmin} className="grid min-w-0 gap-6">
          <Section title="Appearance" description="The header, colours and the launcher button.">
            <div className="grid gap-5 sm:grid-cols-2">
              <Field label="Title" name="title" error={errors.title}>
                {(c) => <Input {...c} {...text("title")} placeholder={WIDGET_DEFAULTS.title} />}
              </Field>
              <Field
                label="Primary colour"
                name="primaryColor"
                error={errors.primaryColor}
                hint="Launcher, header and the visitor's messages."
              >
                {(c) => (
                  <div className="flex items-center gap-2">
                    <input
                      type="color"
                      aria-label="Pick the primary colour"
                      value={HEX.test(color) ? color : WIDGET_DEFAULTS.primaryColor}
                      onChange={(e) => set("primaryColor", e.target.value)}
                      className="h-9 w-12 shrink-0 cursor-pointer rounded-md border border-input bg-background p-1 disabled:cursor-not-allowed"
                      data-testid="primary-color-picker"
                    />
                    <Input
                      {...c}
                      {...text("primaryColor")}
                      placeholder={WIDGET_DEFAULTS.primaryColor}
                      spellCheck={false}
                      autoComplete="off"
                      className="font-mono"
                    />
                  </div>
                )}
              </Field>
            </div>
            <Field label="Subtitle" name="subtitle" error={errors.subtitle}>
              {(c) => <Input {...c} {...text("subtitle")} placeholder={WIDGET_DEFAULTS.subtitle} />}
            </Field>
            <div className="grid gap-5 sm:grid-cols-2">
              <Choice
                legend="Position"
                name="position"
                value={form.position}
                onChange={(v) => set("position", v)}
                options={[
                  { value: "left", label: "Bottom left" },
                  { value: "right", label: "Bottom right" },
                ]}
              />
              <Choice
                legend="Launcher icon"
                name="iconVariant"
                value={form.iconVariant}
                onChange={(v) => set("iconVariant", v)}
                options={[
                  {
                    value: "outlined",
                    label: (
                      <>
                        <MessageCircle aria-hidden /> Outlined
                      </>
                    ),
                  },
                  {
                    value: "filled",
                    label: (
                      <>
                        <MessageCircle aria-hidden fill="currentColor" /> Filled
                      </>
                    ),
                  },
                ]}
              />
            </div>
            <Field
              label="Custom icon URL"
              name="customIconUrl"
              error={errors.customIconUrl}
              hint={
                iconCleared
                  ? "An emptied URL is not saved: the current icon stays until you enter another."
                  : "Your own launcher image (http or https); replaces the icon above."
              }
            >
              {(c) => (
                <Input
                  {...c}
                  {...text("customIconUrl")}
                  type="url"
                  inputMode="url"
                  placeholder="https://www.example.com/chat-icon.png"
                />
              )}
            </Field>
            <Switch
              label="Hide “Powered by Netia”"
              checked={form.isBrandingHidden}
              onChange={(v) => set("isBrandingHidden", v)}
              disabled={!isAdmin}
            />
          </Section>

          <Section
            title="Messages"
            description="What the widget says. Empty fields use the text shown in grey."
          >
            <Field
              label="Greeting"
              name="greeting"
              error={errors.greeting}
              hint="The first message of every conversation. Markdown: **bold**, _italics_, links."
            >
              {(c) => (
                <Textarea
                  {...c}
                  {...text("greeting")}
                  rows={3}
                  placeholder={WIDGET_DEFAULTS.greeting}
                />
              )}
            </Field>
            <Field
              label="Away message"
              name="awayMessage"
              error={errors.awayMessage}
              hint="Shown above the conversation when no agent is online. Markdown."
            >
              {(c) => (
                <Textarea
                  {...c}
                  {...text("awayMessage")}
                  rows={2}
                  placeholder="We're away right now; leave a message and we'll reply by email."
                />
              )}
            </Field>
            <div className="grid gap-5 sm:grid-cols-2">
              <Field
                label="Message placeholder"
                name="newMessagePlaceholder"
                error={errors.newMessagePlaceholder}
              >
                {(c) => (
                  <Input
                    {...c}
                    {...text("newMessagePlaceholder")}
                    placeholder={WIDGET_DEFAULTS.newMessagePlaceholder}
                  />
                )}
              </Field>
              <Field
                label="Email placeholder"
                name="emailInputPlaceholder"
                error={errors.emailInputPlaceholder}
              >
                {(c) => (
                  <Input
                    {...c}
                    {...text("emailInputPlaceholder")}
                    placeholder={WIDGET_DEFAULTS.emailInputPlaceholder}
                  />
                )}
              </Field>
            </div>
            <Field
              label="New messages notice"
              name="newMessagesNotificationText"
              error={errors.newMessagesNotificationText}
              hint="Under the preview of unseen replies, next to the launcher."
            >
              {(c) => (
                <Input
                  {...c}
                  {...text("newMessagesNotificationText")}
                  placeholder={WIDGET_DEFAULTS.newMessagesNotificationText}
                />
              )}
            </Field>
          </Section>

          <Section title="Behaviour" description="When the widget shows, and what it asks.">
            <Switch
              label="Show agent availability"
              hint="Tells visitors in the header whether an agent is online."
              checked={form.showAgentAvailability}
              onChange={(v) => set("showAgentAvailability", v)}
              disabled={!isAdmin}
              testId="show-agent-availability"
            />
            {form.showAgentAvailability ? (
              <div className="grid gap-5 border-l-2 pl-4 sm:grid-cols-2">
                <Field
                  label="When online"
                  name="agentAvailableText"
                  error={errors.agentAvailableText}
                >
                  {(c) => (
                    <Input
                      {...c}
                      {...text("agentAvailableText")}
                      placeholder={WIDGET_DEFAULTS.agentAvailableText}
                    />
                  )}
                </Field>
                <Field
                  label="When away"
                  name="agentUnavailableText"
                  error={errors.agentUnavailableText}
                >
                  {(c) => (
                    <Input
                      {...c}
                      {...text("agentUnavailableText")}
                      placeholder={WIDGET_DEFAULTS.agentUnavailableText}
                    />
                  )}
                </Field>
              </div>
            ) : null}
            <Switch
              label="Require email upfront"
              hint="Visitors enter their email before their first message."
              checked={form.requireEmailUpfront}
              onChange={(v) => set("requireEmailUpfront", v)}
              disabled={!isAdmin}
            />
            <Switch
              label="Hide outside working hours"
              hint="No launcher while no agent is online (visitors with a conversation still see it)."
              checked={form.hideOutsideWorkingHours}
              onChange={(v) => set("hideOutsideWorkingHours", v)}
              disabled={!isAdmin}
            />
            <Switch
              label="Pop up the greeting"
              hint="Shows the greeting next to the launcher on a first visit (at most twice a day)."
              checked={form.popUp}
              onChange={(v) => set("popUp", v)}
              disabled={!isAdmin}
            />
            {form.popUp ? (
              <Field
                label="Pop-up delay (seconds)"
                name="popUpDelaySeconds"
                error={errors.popUpDelaySeconds}
                hint="Empty or 0: at once. At most 600."
                className="border-l-2 pl-4 sm:max-w-64"
              >
                {(c) => (
                  <Input
                    {...c}
                    {...text("popUpDelaySeconds")}
                    type="number"
                    inputMode="decimal"
                    min={0}
                    max={600}
                    step={1}
                    placeholder="0"
                  />
                )}
              </Field>
            ) : null}
          </Section>

          <Section
            title="Allowed websites"
            description="Where the widget may run. Leave empty to allow any site."
          >
            <Field
              label="Allowed origins"
              name="allowedOrigins"
              error={errors.allowedOrigins}
              hint="One address per line, like https://www.example.com. Other sites cannot load this inbox's widget."
            >
              {(c) => (
                <Textarea
                  {...c}
                  {...text("allowedOrigins")}
                  rows={4}
                  spellCheck={false}
                  className="font-mono text-xs"
                  placeholder={"https://www.example.com\nhttps://app.example.com"}
                />
              )}
            </Field>
          </Section>
        </fieldset>

        {isAdmin ? (
          <div className="sticky bottom-0 z-10 -mx-1 flex flex-wrap items-center gap-3 border-t bg-background/95 px-1 py-3 backdrop-blur">
            <Button type="submit" aria-disabled={save.isPending} data-testid="widget-settings-save">
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
              {save.isPending ? null : save.isError ? (
                <span className="text-destructive">
                  {fieldProblems > 0
                    ? `Not saved: ${fieldProblems === 1 ? "a field needs" : `${fieldProblems} fields need`} fixing.`
                    : "Not saved."}
                </span>
              ) : dirty ? (
                <span className="text-muted-foreground">Unsaved changes</span>
              ) : save.isSuccess ? (
                <span className="flex items-center gap-1.5 text-emerald-700">
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

      <aside className="grid min-w-0 gap-3 lg:sticky lg:top-6" aria-label="Preview">
        <div className="flex items-baseline justify-between">
          <h2 className="text-base font-semibold">Preview</h2>
          <span className="text-xs text-muted-foreground">
            {dirty ? "Unsaved changes shown" : "As visitors see it"}
          </span>
        </div>
        <WidgetPreview settings={preview} scene={scene} />
        <PreviewControls scene={scene} onChange={setScene} />
      </aside>
    </div>
  );
}
