"use client";

import { WIDGET_DEFAULTS } from "@netia/core/widget-defaults";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { Field, Section } from "../fields";
import type { WidgetSectionProps } from "./section-props";

/** What the widget says; empty fields fall back to the defaults shown as placeholders. */
export function MessagesSection({ errors, text }: Pick<WidgetSectionProps, "errors" | "text">) {
  return (
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
          <Textarea {...c} {...text("greeting")} rows={3} placeholder={WIDGET_DEFAULTS.greeting} />
        )}
      </Field>
      <Field
        label="Away message"
        name="awayMessage"
        error={errors.awayMessage}
        hint="Shown above the conversation when no agent is online. Outside working hours the account's away message shows instead (Settings → Account). Markdown."
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
  );
}
