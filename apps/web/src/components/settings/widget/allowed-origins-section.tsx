"use client";

import { Textarea } from "@/components/ui/textarea";
import { Field, Section } from "../fields";
import type { WidgetSectionProps } from "./section-props";

/** The sites that may load this inbox's widget. */
export function AllowedOriginsSection({
  errors,
  text,
}: Pick<WidgetSectionProps, "errors" | "text">) {
  return (
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
  );
}
