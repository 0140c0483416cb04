import type { FieldErrors, WidgetForm } from "../widget-form";

/** What each section of the widget form gets from the editor: the form, its errors and setters. */
export type WidgetSectionProps = {
  form: WidgetForm;
  errors: FieldErrors;
  set: <K extends keyof WidgetForm>(key: K, value: WidgetForm[K]) => void;
  /** The value and change handler of a text field. */
  text: (key: keyof WidgetForm & string) => {
    name: string;
    value: string;
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => void;
  };
};
