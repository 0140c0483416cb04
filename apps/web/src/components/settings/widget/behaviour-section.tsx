"use client";

import { WIDGET_DEFAULTS } from "@netia/core/widget-defaults";
import { Input } from "@/components/ui/input";
import { Field, Section, Switch } from "../fields";
import type { WidgetSectionProps } from "./section-props";

/** When the widget shows, and what it asks. */
export function BehaviourSection({ form, errors, set, text }: WidgetSectionProps) {
  return (
    <Section title="Behaviour" description="When the widget shows, and what it asks.">
      <Switch
        label="Show agent availability"
        hint="Tells visitors in the header whether an agent is online."
        checked={form.showAgentAvailability}
        onChange={(v) => set("showAgentAvailability", v)}
        testId="show-agent-availability"
      />
      {form.showAgentAvailability ? (
        <div className="grid gap-5 border-l-2 pl-4 sm:grid-cols-2">
          <Field label="When online" name="agentAvailableText" error={errors.agentAvailableText}>
            {(c) => (
              <Input
                {...c}
                {...text("agentAvailableText")}
                placeholder={WIDGET_DEFAULTS.agentAvailableText}
              />
            )}
          </Field>
          <Field label="When away" name="agentUnavailableText" error={errors.agentUnavailableText}>
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
      />
      <Switch
        label="Hide outside working hours"
        hint="No launcher while no agent is online (visitors with a conversation still see it)."
        checked={form.hideOutsideWorkingHours}
        onChange={(v) => set("hideOutsideWorkingHours", v)}
      />
      <Switch
        label="Pop up the greeting"
        hint="Shows the greeting next to the launcher on a first visit (at most twice a day)."
        checked={form.popUp}
        onChange={(v) => set("popUp", v)}
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
  );
}
