"use client";

import { WIDGET_DEFAULTS } from "@netia/core/widget-defaults";
import { MessageCircle } from "lucide-react";
import { Input } from "@/components/ui/input";
import { Choice, Field, Section, Switch } from "../fields";
import { normalizeColor } from "../widget-form";
import type { WidgetSectionProps } from "./section-props";

const HEX = /^#[0-9a-f]{6}$/;

/** The header, colours and the launcher button. */
export function AppearanceSection({
  form,
  errors,
  set,
  text,
  savedIconUrl,
}: WidgetSectionProps & { savedIconUrl: string }) {
  const color = normalizeColor(form.primaryColor);
  const iconCleared = !form.customIconUrl.trim() && !!savedIconUrl;
  return (
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
      />
    </Section>
  );
}
