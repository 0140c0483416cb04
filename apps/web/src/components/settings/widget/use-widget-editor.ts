"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTRPC } from "@/lib/trpc";
import {
  type FieldErrors,
  fieldErrorsFrom,
  formFromSettings,
  settingsFromForm,
  validateForm,
  type WidgetForm,
  type WidgetSettings,
} from "../widget-form";
import type { WidgetSectionProps } from "./section-props";

/**
 * The widget form's state: what is saved, what is edited, the errors, and the
 * save. After a failed save the first invalid field takes the focus.
 */
export function useWidgetEditor(inboxId: string, initial: WidgetSettings) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [saved, setSaved] = useState(() => formFromSettings(initial));
  const [form, setForm] = useState(saved);
  const [errors, setErrors] = useState<FieldErrors>({});
  const dirty = JSON.stringify(form) !== JSON.stringify(saved);

  // Counted, so that two failed saves in a row both move the focus.
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

  const set: WidgetSectionProps["set"] = (key, value) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => (e[key] ? { ...e, [key]: undefined } : e));
  };
  const text: WidgetSectionProps["text"] = (key) => ({
    name: key,
    value: form[key] as string,
    onChange: (e) => set(key, e.target.value as WidgetForm[typeof key]),
  });

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (save.isPending) return;
    const problems = validateForm(form);
    if (Object.keys(problems).length > 0) {
      setErrors(problems);
      focusFirstError();
      return;
    }
    save.mutate({ inboxId, settings: settingsFromForm(form) });
  };

  const discard = () => {
    setForm(saved);
    setErrors({});
    save.reset();
  };

  return { formRef, form, saved, errors, dirty, save, set, text, submit, discard };
}
