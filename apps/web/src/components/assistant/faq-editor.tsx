"use client";

import { Plus, Trash2 } from "lucide-react";
import { Field, FieldError } from "@/components/settings/fields";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { type FaqRow, type FieldErrors, LIMITS, newFaq } from "./settings-form";

/** Questions and answers the assistant may quote: rows added, edited and removed in place. */
export function FaqEditor({
  faqs,
  errors,
  onChange,
}: {
  faqs: FaqRow[];
  errors: FieldErrors;
  onChange: (faqs: FaqRow[]) => void;
}) {
  const update = (key: string, patch: Partial<FaqRow>) =>
    onChange(faqs.map((f) => (f.key === key ? { ...f, ...patch } : f)));
  return (
    <div className="grid gap-4" data-testid="faq-editor">
      {faqs.length === 0 ? (
        <p className="text-sm text-muted-foreground">No questions yet.</p>
      ) : null}
      {faqs.map((faq, i) => (
        <fieldset
          key={faq.key}
          className="grid gap-3 rounded-lg border bg-muted/30 p-3"
          data-testid="faq-row"
        >
          <legend className="sr-only">Question {i + 1}</legend>
          <Field
            label={`Question ${i + 1}`}
            error={errors[`faqs.${i}.question`]}
            name={`faq-${i}-question`}
          >
            {(c) => (
              <Input
                {...c}
                value={faq.question}
                onChange={(e) => update(faq.key, { question: e.target.value })}
                data-testid="faq-question"
              />
            )}
          </Field>
          <Field label="Answer" error={errors[`faqs.${i}.answer`]} name={`faq-${i}-answer`}>
            {(c) => (
              <Textarea
                {...c}
                rows={2}
                value={faq.answer}
                onChange={(e) => update(faq.key, { answer: e.target.value })}
                data-testid="faq-answer"
              />
            )}
          </Field>
          <Button
            type="button"
            variant="ghost"
            size="sm"
            className="w-fit"
            onClick={() => onChange(faqs.filter((f) => f.key !== faq.key))}
          >
            <Trash2 aria-hidden />
            Remove question {i + 1}
          </Button>
        </fieldset>
      ))}
      <FieldError id="faqs" error={errors.faqs} name="faqs" />
      <Button
        type="button"
        variant="outline"
        size="sm"
        className="w-fit"
        disabled={faqs.length >= LIMITS.faqs}
        onClick={() => onChange([...faqs, newFaq()])}
        data-testid="faq-add"
      >
        <Plus aria-hidden />
        Add a question
      </Button>
    </div>
  );
}
